"""Reference data: the 14 outdated customs Kon Tum campaigns against under Directive 13-CT/TU
(fixtures/customs_qd385.csv) and the categories of mobilised resources
(fixtures/resource_sources.csv), frozen here as they were loaded: editing the files changes no
fresh database."""

import csv
import io

from django.db import migrations

CUSTOMS = '''\
kind,number,name
hủ tục,1,Kiêng cữ cái chết xấu
hủ tục,2,Cúng ốm đau và khấn cầu thần linh
hủ tục,3,"Kiêng kỵ vật nuôi phóng uế, đẻ con ở dưới/bên trong kho thóc"
hủ tục,4,Thuốc thư
hủ tục,5,Hôn nhân cận huyết
hủ tục,6,Tảo hôn
phong tục không còn phù hợp,7,Nợ miệng
phong tục không còn phù hợp,8,"Ăn uống kéo dài trong tang ma, cưới hỏi, lễ hội"
phong tục không còn phù hợp,9,"Thả rông gia súc, gia cầm"
phong tục không còn phù hợp,10,Củi hứa hôn
phong tục không còn phù hợp,11,Tưởng nhớ và cho người chết ăn
phong tục không còn phù hợp,12,Để người chết lộ thiên trên sạp
phong tục không còn phù hợp,13,Sinh đẻ tại nhà
phong tục không còn phù hợp,14,"Ngủ ""đầm"" (ngủ rẫy)"
'''

SOURCES = '''\
key,name_vi,gloss,share_in_ntm_2011_2015
ngan_sach,Ngân sách nhà nước,state budget,22%
long_ghep,Lồng ghép chương trình/dự án,integrated programmes and projects,8%
tin_dung,Vốn tín dụng,credit,57%
doanh_nghiep,Doanh nghiệp,enterprises,5%
cong_dong,Cộng đồng dân cư,community contributions,8%
co_quan,"Cơ quan, đơn vị phụ trách",the assigned agency and its staff,
khac,Khác,other,
'''
KINDS = {"hủ tục": "harmful", "phong tục không còn phù hợp": "unsuitable"}


def load(apps, schema_editor):
    OutdatedCustom = apps.get_model("assignments", "OutdatedCustom")
    ResourceSource = apps.get_model("assignments", "ResourceSource")
    for row in csv.DictReader(io.StringIO(CUSTOMS)):
        OutdatedCustom.objects.update_or_create(
            number=int(row["number"]),
            defaults={"name": row["name"], "kind": KINDS[row["kind"]]},
        )
    for position, row in enumerate(csv.DictReader(io.StringIO(SOURCES)), start=1):
        ResourceSource.objects.update_or_create(
            key=row["key"], defaults={"name": row["name_vi"], "position": position}
        )


def unload(apps, schema_editor):
    apps.get_model("assignments", "OutdatedCustom").objects.all().delete()
    apps.get_model("assignments", "ResourceSource").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assignments", "0002_teams_and_work")]

    operations = [migrations.RunPython(load, unload)]
