"""Pages of the criteria app: thin views over ``queries`` (reads) and ``services`` (writes),
one module per kind of page; ``criteria/urls.py`` names them."""
