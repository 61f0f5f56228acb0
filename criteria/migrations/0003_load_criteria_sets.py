"""Reference data: the criteria sets of fixtures/criteria_sets.csv with their criteria.

- KT-147-2022 (Decision 147/QĐ-UBND, Kon Tum): only "10 criteria, scored N/10, recognised by
  the district" is verified; its criteria and indicators come from the placeholder file
  criteria_kt147_provisional.csv, the set stays provisional until staff confirm it, and
  thresholds that were not found stay empty.
- VN-318-2022, VN-51-2025, BK-902-2021: the real criteria names; their indicators were not
  collected, so each criterion gets one placeholder yes/no indicator for staff to replace.
- KT-386-2019: the set only, its criteria were not collected.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.db import migrations

# The files of fixtures/ as they were loaded, frozen: editing them changes no fresh database.
CRITERIA_SETS = '''\
set_code,legal_basis,issued,issuer,scope,period,number_of_criteria,status,note
KT-147-2022,Quyết định số 147/QĐ-UBND,2022-03-28,UBND tỉnh Kon Tum,village (thôn/làng) in ethnic-minority areas,2022-2025,10,provisional,"Verified: 10 criteria, villages scored N/10, recognised by the district People's Committee. Criterion names and thresholds NOT verified: the official text was not found. The list in criteria_kt147_provisional.csv is a placeholder to build with; the app must let staff correct names, indicators and thresholds."
VN-318-2022,Quyết định số 318/QĐ-TTg,2022-03-08,Thủ tướng Chính phủ,commune (xã),2021-2025,19,names-verified,"Indicators are set per region (Kon Tum: Tây Nguyên); regional thresholds not collected"
VN-51-2025,Quyết định số 51/2025/QĐ-TTg,2025-12-29,Thủ tướng Chính phủ,commune (xã),2026-2030,10,names-verified,"47 indicators; graded by commune group (nhóm 1-3; nhóm 3 = khu vực II/III ethnic-minority and mountain communes); in force 2026-02-15"
BK-902-2021,Quyết định số 902/QĐ-UBND,2021-06-16,UBND tỉnh Bắc Kạn,village (thôn),2021-2025,16,names-verified,"A real village-level set from another province, useful as a second example"
KT-386-2019,Quyết định số 386/QĐ-UBND,2019-04-22,UBND tỉnh Kon Tum,village in extremely disadvantaged communes,2019-2020,16,partial,"Earlier Kon Tum village set. Published thresholds: village and inter-village roads hardened >= 70%; multidimensional poor households <= 7%; no dilapidated houses and > 75% of houses with hard walls, floor and roof"
'''

CRITERIA_KT147_PROVISIONAL = '''\
number,name,provisional_indicator,unit,comparator,threshold,threshold_source
1,Giao thông,Tỷ lệ đường trục thôn và đường liên thôn được cứng hóa,%,>=,70,QĐ 386/QĐ-UBND 2019 (earlier Kon Tum set)
2,Điện,Tỷ lệ hộ sử dụng điện thường xuyên và an toàn,%,>=,,not found
3,Cơ sở vật chất văn hóa,Thôn có nhà văn hóa/nhà rông đạt chuẩn,yes/no,=,Đạt,not found
4,Nhà ở dân cư,Tỷ lệ nhà ở đạt tiêu chuẩn 3 cứng (không còn nhà tạm dột nát),%,>,75,QĐ 386/QĐ-UBND 2019 (earlier Kon Tum set)
5,Thu nhập,Thu nhập bình quân đầu người,triệu đồng/người/năm,>=,,not found
6,Hộ nghèo,Tỷ lệ hộ nghèo đa chiều,%,<=,7,QĐ 386/QĐ-UBND 2019 (earlier Kon Tum set)
7,Tổ chức sản xuất và lao động,Thôn có mô hình sản xuất hiệu quả / tổ hợp tác,yes/no,=,Đạt,not found
8,Giáo dục - Y tế - Văn hóa,Tỷ lệ trẻ em trong độ tuổi đến trường; người dân tham gia bảo hiểm y tế; xóa bỏ hủ tục,%,>=,,not found
9,Môi trường,Tỷ lệ hộ sử dụng nước hợp vệ sinh và có nhà tiêu hợp vệ sinh,%,>=,,not found
10,Hệ thống chính trị và an ninh trật tự,Chi bộ và các đoàn thể hoàn thành tốt nhiệm vụ; thôn đạt chuẩn an toàn về an ninh trật tự,yes/no,=,Đạt,not found
'''

CRITERIA_VN318 = '''\
group_number,group_name,number,name
I,Quy hoạch,1,Quy hoạch
II,Hạ tầng kinh tế - xã hội,2,Giao thông
II,Hạ tầng kinh tế - xã hội,3,Thủy lợi và phòng chống thiên tai
II,Hạ tầng kinh tế - xã hội,4,Điện
II,Hạ tầng kinh tế - xã hội,5,Trường học
II,Hạ tầng kinh tế - xã hội,6,Cơ sở vật chất văn hóa
II,Hạ tầng kinh tế - xã hội,7,Cơ sở hạ tầng thương mại nông thôn
II,Hạ tầng kinh tế - xã hội,8,Thông tin và Truyền thông
II,Hạ tầng kinh tế - xã hội,9,Nhà ở dân cư
III,Kinh tế và tổ chức sản xuất,10,Thu nhập
III,Kinh tế và tổ chức sản xuất,11,Nghèo đa chiều
III,Kinh tế và tổ chức sản xuất,12,Lao động
III,Kinh tế và tổ chức sản xuất,13,Tổ chức sản xuất và phát triển kinh tế nông thôn
IV,Văn hóa - Xã hội - Môi trường,14,Giáo dục và Đào tạo
IV,Văn hóa - Xã hội - Môi trường,15,Y tế
IV,Văn hóa - Xã hội - Môi trường,16,Văn hóa
IV,Văn hóa - Xã hội - Môi trường,17,Môi trường và an toàn thực phẩm
V,Hệ thống chính trị,18,Hệ thống chính trị và tiếp cận pháp luật
V,Hệ thống chính trị,19,Quốc phòng và An ninh
'''

CRITERIA_VN51_2025 = '''\
number,name
1,Quy hoạch
2,Hạ tầng kinh tế - xã hội
3,Phát triển kinh tế nông thôn
4,Đào tạo nguồn nhân lực nông thôn
5,"Văn hóa, giáo dục, y tế"
6,Giảm nghèo và an sinh xã hội
7,Khoa học công nghệ và chuyển đổi số
8,Môi trường và cảnh quan nông thôn
9,Xây dựng hệ thống chính trị và hành chính công
10,"Tiếp cận pháp luật và an ninh, quốc phòng"
'''

CRITERIA_BK902 = '''\
group_name,number,name
Tổ chức cộng đồng,1,Ban phát triển thôn
Tổ chức cộng đồng,2,"Hương ước, quy ước thôn"
Tổ chức cộng đồng,3,Kế hoạch thực hiện từng tiêu chí
Phát triển thôn,4,Giao thông
Phát triển thôn,5,Thủy lợi
Phát triển thôn,6,Điện
Phát triển thôn,7,Cơ sở vật chất văn hóa
Phát triển thôn,8,Nhà ở và công trình phụ trợ
Phát triển thôn,9,Giáo dục
Phát triển thôn,10,Y tế
Phát triển thôn,11,Văn hóa
Phát triển thôn,12,Mô hình sản xuất
Phát triển thôn,13,Kinh tế hộ
Phát triển thôn,14,Môi trường và cảnh quan nông thôn
Phát triển thôn,15,An ninh trật tự
Phát triển thôn,16,Hệ thống chính trị
'''

FIXTURES = {
    "criteria_sets.csv": CRITERIA_SETS,
    "criteria_kt147_provisional.csv": CRITERIA_KT147_PROVISIONAL,
    "criteria_vn318.csv": CRITERIA_VN318,
    "criteria_vn51_2025.csv": CRITERIA_VN51_2025,
    "criteria_bk902.csv": CRITERIA_BK902,
}

NAMES = {
    "KT-147-2022": "Bộ tiêu chí thôn, làng nông thôn mới vùng đồng bào dân tộc thiểu số "
    "tỉnh Kon Tum giai đoạn 2022-2025",
    "VN-318-2022": "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021-2025",
    "VN-51-2025": "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030",
    "BK-902-2021": "Bộ tiêu chí thôn nông thôn mới tỉnh Bắc Kạn giai đoạn 2021-2025",
    "KT-386-2019": "Bộ tiêu chí thôn nông thôn mới tại các xã đặc biệt khó khăn "
    "tỉnh Kon Tum giai đoạn 2019-2020",
}
RECOGNISED_BY = {"KT-147-2022": "UBND cấp huyện"}
CRITERIA_FILES = {
    "VN-318-2022": "criteria_vn318.csv",
    "VN-51-2025": "criteria_vn51_2025.csv",
    "BK-902-2021": "criteria_bk902.csv",
}
PLACEHOLDER_NAME = "Đạt tiêu chí (chỉ tiêu chính thức chưa nhập)"
PLACEHOLDER_SOURCE = "Chỉ tiêu và ngưỡng chưa thu thập: cán bộ tỉnh nhập theo văn bản gốc"
COMPARATORS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt", "=": "eq"}


def rows(name):
    return list(csv.DictReader(io.StringIO(FIXTURES[name])))


def load(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    Criterion = apps.get_model("criteria", "Criterion")
    Indicator = apps.get_model("criteria", "Indicator")
    for row in rows("criteria_sets.csv"):
        start, end = (int(y) for y in row["period"].split("-"))
        criteria_set = CriteriaSet.objects.create(
            code=row["set_code"],
            version=1,
            name=NAMES.get(row["set_code"], row["legal_basis"]),
            legal_basis=row["legal_basis"],
            issued_on=datetime.date.fromisoformat(row["issued"]),
            issuer=row["issuer"],
            scope="commune" if row["scope"].startswith("commune") else "village",
            period_start=start,
            period_end=end,
            recognising_body=RECOGNISED_BY.get(row["set_code"], ""),
            status="verified" if row["status"] == "names-verified" else "provisional",
            note=f"{row['number_of_criteria']} tiêu chí. {row['note']}",
        )
        if row["set_code"] == "KT-147-2022":
            for item in rows("criteria_kt147_provisional.csv"):
                criterion = Criterion.objects.create(
                    criteria_set=criteria_set, number=int(item["number"]), name=item["name"]
                )
                unit = item["unit"]
                value_type = {"%": "percent", "yes/no": "boolean"}.get(unit, "number")
                Indicator.objects.create(
                    criterion=criterion,
                    code=f"{criterion.number}.1",
                    name=item["provisional_indicator"],
                    unit="" if value_type == "boolean" else unit,
                    value_type=value_type,
                    comparator=COMPARATORS[item["comparator"]],
                    threshold=Decimal(item["threshold"])
                    if value_type != "boolean" and item["threshold"]
                    else None,
                    is_placeholder=True,
                    source=item["threshold_source"],
                )
        elif row["set_code"] in CRITERIA_FILES:
            for item in rows(CRITERIA_FILES[row["set_code"]]):
                group = item.get("group_name", "")
                if item.get("group_number"):
                    group = f"{item['group_number']}. {group}"
                criterion = Criterion.objects.create(
                    criteria_set=criteria_set,
                    group=group,
                    number=int(item["number"]),
                    name=item["name"],
                )
                Indicator.objects.create(
                    criterion=criterion,
                    code=f"{criterion.number}.1",
                    name=PLACEHOLDER_NAME,
                    value_type="boolean",
                    comparator="eq",
                    is_placeholder=True,
                    source=PLACEHOLDER_SOURCE,
                )


def unload(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    codes = [row["set_code"] for row in rows("criteria_sets.csv")]
    CriteriaSet.objects.filter(code__in=codes, version=1, surveys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("criteria", "0002_indicators_and_surveys")]

    operations = [migrations.RunPython(load, unload)]
