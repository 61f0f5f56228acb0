"""Reference data: Kon Tum's three districts of Plan 133-KH/TU with their 32 communes until
30/6/2025, and Quảng Ngãi with the 13 communes that replaced them from 1/7/2025
(fixtures/admin_units.csv, from the statistics office list and NQ 1677/NQ-UBTVQH15).

The data is frozen here as it was loaded, with the search text and sort key it was stored with
(dankhoeo.vietnamese at the time): editing the CSV or that module does not change what a fresh
database gets. A correction is a new migration (tests/test_reference_data.py checks that a fresh
database equals the fixtures)."""

import csv
import datetime
import io

from django.db import migrations

UNITS = '''\
level,code,name,parent_code,valid_from,valid_to,successor_code,aliases,note,search_text,sort_key
province,62,Tỉnh Kon Tum,,,2025-06-30,51,,merged into Quảng Ngãi by NQ 202/2025/QH15,tinh kon tum | 62,343837014546360000
province,51,Tỉnh Quảng Ngãi,,2025-07-01,,,,merged province from 1 July 2025,tinh quang ngai | 51,424620373001373020320023
district,610,Huyện Đăk Glei,62,,2025-06-30,,Đắk Glei|Dak Glei,districts abolished from 1 July 2025,huyen dak glei | dak glei | dak glei | 610,26213401303527320000
district,613,Huyện Kon Plông,62,,2025-06-30,,Kon Plong,districts abolished from 1 July 2025,huyen kon plong | kon plong | 613,3438370141353937300000
district,617,Huyện Tu Mơ Rông,62,,2025-06-30,,Tu Mo Rong,districts abolished from 1 July 2025,huyen tu mo rong | tu mo rong | 617,4546013640014339373000000
commune,23341,Thị trấn Đăk Glei,610,,2025-06-30,23341,Đắk Glei,,thi tran dak glei | dak glei | 23341,26213401303527320000
commune,23344,Xã Đăk Plô,610,,2025-06-30,23344,Đắk Blô|Đăk Blô|Đăk Plô,GSO spells Đắk Blô; local news spells Đăk Plô,xa dak plo | dak blo | dak blo | dak plo | 23344,262134014135390000
commune,23347,Xã Đăk Man,610,,2025-06-30,23344,Đắk Man,,xa dak man | dak man | 23347,262134013620370000
commune,23350,Xã Đăk Nhoong,610,,2025-06-30,23344,Đắk Nhoong,,xa dak nhoong | dak nhoong | 23350,262134013731383837300000
commune,23353,Xã Đăk Pék,610,,2025-06-30,23341,Đắk Pék,,xa dak pek | dak pek | 23353,262134014127340004
commune,23356,Xã Đăk Choong,610,,2025-06-30,23356,Đắk Choong,,xa dak choong | dak choong | 23356,262134012431383837300000
commune,23359,Xã Xốp,610,,2025-06-30,23356,,,xa xop | 23359,503941004
commune,23362,Xã Mường Hoong,610,,2025-06-30,23365,,,xa muong hoong | 23362,36474037300131383837300010
commune,23365,Xã Ngọc Linh,610,,2025-06-30,23365,,,xa ngoc linh | 23365,3730382401353237310050
commune,23368,Xã Đăk Long,610,,2025-06-30,23368,Đắk Long,kept unchanged; not the Đăk Long of the former Đăk Hà district,xa dak long | dak long | 23368,26213401353837300000
commune,23371,Xã Đăk Kroong,610,,2025-06-30,23374,Đắk KRoong|Đắk Kroong,,xa dak kroong | dak kroong | dak kroong | 23371,262134013443383837300000
commune,23374,Xã Đăk Môn,610,,2025-06-30,23374,Đắk Môn,,xa dak mon | dak mon | 23374,262134013639370000
commune,23452,Xã Đăk Nên,613,,2025-06-30,23455,Đắk Nên,,xa dak nen | dak nen | 23452,262134013728370000
commune,23455,Xã Đăk Ring,613,,2025-06-30,23455,Đắk Ring,,xa dak ring | dak ring | 23455,26213401433237300000
commune,23458,Xã Măng Bút,613,,2025-06-30,23455,Măng Buk,GSO spells Măng Buk,xa mang but | mang buk | 23458,36213730012346450004
commune,23461,Xã Đăk Tăng,613,,2025-06-30,23473,Đắk Tăng,,xa dak tang | dak tang | 23461,26213401452137300000
commune,23464,Xã Ngọk Tem,613,,2025-06-30,23476,Ngok Tem|Ngọc Tem,,xa ngok tem | ngok tem | ngoc tem | 23464,37303834014527360050
commune,23467,Xã Pờ Ê,613,,2025-06-30,23476,,,xa po e | 23467,414001280010
commune,23470,Xã Măng Cành,613,,2025-06-30,23473,,,xa mang canh | 23470,3621373001242037310001
commune,23473,Thị trấn Măng Đen,613,,2025-06-30,23473,,,thi tran mang den | 23473,36213730012627370000
commune,23476,Xã Hiếu,613,,2025-06-30,23476,,,xa hieu | 23476,31322846004
commune,23404,Xã Ngọk Lây,617,,2025-06-30,23446,Ngọc Lây,,xa ngok lay | ngoc lay | 23404,37303834013522510050
commune,23407,Xã Đăk Na,617,,2025-06-30,23416,Đắk Na,,xa dak na | dak na | 23407,2621340137200000
commune,23410,Xã Măng Ri,617,,2025-06-30,23446,,,xa mang ri | 23410,362137300143320000
commune,23413,Xã Ngọk Yêu,617,,2025-06-30,23446,Ngọc Yêu,,xa ngok yeu | ngoc yeu | 23413,37303834015128460050
commune,23416,Xã Đăk Sao,617,,2025-06-30,23416,Đắk Sao,,xa dak sao | dak sao | 23416,262134014420380000
commune,23417,Xã Đăk Rơ Ông,617,,2025-06-30,23419,Đắk Rơ Ông,,xa dak ro ong | dak ro ong | 23417,2621340143400139373000000
commune,23419,Xã Đăk Tờ Kan,617,,2025-06-30,23419,Đắk Tờ Kan,,xa dak to kan | dak to kan | 23419,2621340145400134203700010
commune,23422,Xã Tu Mơ Rông,617,,2025-06-30,23425,,,xa tu mo rong | 23422,4546013640014339373000000
commune,23425,Xã Đăk Hà,617,,2025-06-30,23425,Đắk Hà,not the new Xã Đăk Hà (23500) formed from the former Đăk Hà district,xa dak ha | dak ha | 23425,2621340131200001
commune,23446,Xã Tê Xăng,617,,2025-06-30,23446,,,xa te xang | 23446,452801502137300000
commune,23449,Xã Văn Xuôi,617,,2025-06-30,23446,,,xa van xuoi | 23449,48213701504639320000
commune,23416,Xã Đăk Sao,51,2025-07-01,,,,from Đăk Na + Đăk Sao (new unit reuses the old code),xa dak sao | 23416,262134014420380000
commune,23419,Xã Đăk Tờ Kan,51,2025-07-01,,,,from Đăk Rơ Ông + Đăk Tờ Kan,xa dak to kan | 23419,2621340145400134203700010
commune,23425,Xã Tu Mơ Rông,51,2025-07-01,,,,from Đăk Hà (of Tu Mơ Rông) + Tu Mơ Rông,xa tu mo rong | 23425,4546013640014339373000000
commune,23446,Xã Măng Ri,51,2025-07-01,,,,from Ngọk Yêu + Văn Xuôi + Tê Xăng + Ngọk Lây + Măng Ri,xa mang ri | 23446,362137300143320000
commune,23356,Xã Xốp,51,2025-07-01,,,,from Đăk Choong + Xốp,xa xop | 23356,503941004
commune,23365,Xã Ngọc Linh,51,2025-07-01,,,,from Mường Hoong + Ngọc Linh,xa ngoc linh | 23365,3730382401353237310050
commune,23344,Xã Đăk Plô,51,2025-07-01,,,,from Đăk Nhoong + Đăk Man + Đăk Plô,xa dak plo | 23344,262134014135390000
commune,23341,Xã Đăk Pék,51,2025-07-01,,,,from Thị trấn Đăk Glei + Đăk Pék,xa dak pek | 23341,262134014127340004
commune,23374,Xã Đăk Môn,51,2025-07-01,,,,from Đăk Kroong + Đăk Môn,xa dak mon | 23374,262134013639370000
commune,23368,Xã Đăk Long,51,2025-07-01,,,,unchanged,xa dak long | 23368,26213401353837300000
commune,23473,Xã Măng Đen,51,2025-07-01,,,,from Thị trấn Măng Đen + Măng Cành + Đăk Tăng,xa mang den | 23473,36213730012627370000
commune,23455,Xã Măng Bút,51,2025-07-01,,,,from Đăk Nên + Đăk Ring + Măng Bút,xa mang but | 23455,36213730012346450004
commune,23476,Xã Kon Plông,51,2025-07-01,,,,from Ngọk Tem + Hiếu + Pờ Ê,xa kon plong | 23476,3438370141353937300000
'''


def units_rows():
    return list(csv.DictReader(io.StringIO(UNITS)))


def day(text):
    return datetime.date.fromisoformat(text) if text else None


def load(apps, schema_editor):
    AdminUnit = apps.get_model("villages", "AdminUnit")
    units = {}
    for row in units_rows():
        unit = AdminUnit.objects.create(
            level=row["level"],
            code=row["code"],
            name=row["name"],
            aliases=row["aliases"],
            valid_from=day(row["valid_from"]),
            valid_to=day(row["valid_to"]),
            note=row["note"],
            search_text=row["search_text"],
            sort_key=row["sort_key"],
        )
        units[(row["level"], row["code"], row["valid_from"])] = (unit, row)

    def unit_after(code, level, after):
        """The unit with this code that was valid just after a date (codes are reused)."""
        candidates = [
            unit
            for (lvl, c, _), (unit, _) in units.items()
            if c == code and lvl == level and (after is None or (unit.valid_from or after) > after)
        ]
        return candidates[0] if candidates else None

    parent_levels = {"commune": ("district", "province"), "district": ("province",)}
    for unit, row in units.values():
        if row["parent_code"]:
            for level in parent_levels[row["level"]]:
                parent = [
                    u
                    for (lvl, c, _), (u, _) in units.items()
                    if lvl == level and c == row["parent_code"]
                ]
                if parent:
                    unit.parent = parent[0]
                    break
        if row["successor_code"]:
            unit.successor = unit_after(row["successor_code"], row["level"], unit.valid_to)
        unit.save(update_fields=["parent", "successor"])


def unload(apps, schema_editor):
    AdminUnit = apps.get_model("villages", "AdminUnit")
    codes = {row["code"] for row in units_rows()}
    units = AdminUnit.objects.filter(code__in=codes)
    units.update(successor=None, parent=None)
    units.delete()


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
