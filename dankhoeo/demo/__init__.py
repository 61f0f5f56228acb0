"""Demo and synthetic data for every app, in one place on top of the apps (project layer).

``accounts``, ``villages``, ``assignments`` and ``criteria`` are what ``manage.py seed_demo``
loads, in that order; ``synthetic`` is the country that ``manage.py generate_country`` writes for
benchmarks and scale tests. Apps never import from here.
"""
