#!/usr/bin/env python3
"""Makes the court caseload files the import is tested with, the way court
clerks make them: each workbook is written as a flat OpenDocument
spreadsheet (.fods: date cells with their display formats, merged cells,
hidden columns, several sheets) and saved by LibreOffice itself as .xlsx,
.csv (GB18030, CRLF), .xls and .ods. The files LibreOffice writes are
committed, so the tests need no LibreOffice; run this again after changing
a file:

    apt-get install -y libreoffice-calc-nogui
    python3 testdata/courtfiles/make.py [WORKBOOK…]
"""
import os, subprocess, sys, tempfile, shutil
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["案号", "原告", "被告", "案由", "立案日期", "开庭日期", "负责人出庭", "出庭人职务", "结案日期", "结案方式"]

# Date display formats: LibreOffice's zh-CN default (YY年M月D日), Excel's
# built-in short date as en-US shows it (MM/DD/YY), a date with a time,
# and the long Chinese form.
STYLES = """
<number:date-style style:name="N_yymd"><number:year/><number:text>年</number:text><number:month/><number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>
<number:date-style style:name="N_mdy"><number:month number:style="long"/><number:text>/</number:text><number:day number:style="long"/><number:text>/</number:text><number:year/></number:date-style>
<number:date-style style:name="N_dt"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style>
<number:date-style style:name="N_long"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>
<style:style style:name="yymd" style:family="table-cell" style:data-style-name="N_yymd"/>
<style:style style:name="mdy" style:family="table-cell" style:data-style-name="N_mdy"/>
<style:style style:name="dt" style:family="table-cell" style:data-style-name="N_dt"/>
<style:style style:name="long" style:family="table-cell" style:data-style-name="N_long"/>
<style:style style:name="hidden" style:family="table-column"><style:table-column-properties style:column-width="2cm"/></style:style>
"""


class D:  # a date cell: ISO value, display style
    def __init__(self, iso, style="yymd"):
        self.iso, self.style = iso, style


class N:  # a number cell
    def __init__(self, v):
        self.v = v


class Down:  # a cell merged over n rows; the rows below hold None
    def __init__(self, n, v):
        self.n, self.v = n, v


class Across:  # a cell merged over n columns
    def __init__(self, n, v):
        self.n, self.v = n, v


def cell(c):
    if c is None:
        return "<table:covered-table-cell/>"
    attrs, v = "", c
    if isinstance(c, Down):
        attrs, v = ' table:number-rows-spanned="%d" table:number-columns-spanned="1"' % c.n, c.v
    if isinstance(c, Across):
        attrs, v = ' table:number-columns-spanned="%d" table:number-rows-spanned="1"' % c.n, c.v
    if isinstance(v, D):
        return '<table:table-cell%s table:style-name="%s" office:value-type="date" office:date-value="%s"><text:p>%s</text:p></table:table-cell>' % (attrs, v.style, v.iso, v.iso)
    if isinstance(v, N):
        return '<table:table-cell%s office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>' % (attrs, v.v, v.v)
    if v == "":
        return "<table:table-cell%s/>" % attrs
    return '<table:table-cell%s office:value-type="string"><text:p>%s</text:p></table:table-cell>' % (attrs, escape(v))


def table(name, rows, hidden=()):
    width = max(len(r) for r in rows)
    cols = "".join('<table:table-column%s/>' % (' table:visibility="collapse"' if i in hidden else "") for i in range(width))
    body = "".join("<table:table-row>%s</table:table-row>" % "".join(cell(c) for c in r) for r in rows)
    return '<table:table table:name="%s">%s%s</table:table>' % (escape(name), cols, body)


def fods(sheets):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
            'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:automatic-styles>%s</office:automatic-styles>'
            '<office:body><office:spreadsheet>%s</office:spreadsheet></office:body></office:document>') % (
        STYLES, "".join(table(*s) for s in sheets))


def row(n, defendant="汝州市公安局", filed=D("2024-01-26"), held="", head="", title="", concluded="", result="", cause="行政处罚", plaintiff=None):
    return ["（2024）豫0482行初%d号" % n, plaintiff or "原告%d" % n, defendant, cause, filed, held, head, title, concluded, result]


FILES = {
    # Date cells in four display formats, text dates in every spelling, and
    # serial numbers: every row lands with the dates the clerk meant.
    "dates": [("Sheet1", [HEADER,
        row(1, filed=D("2024-01-26", "yymd"), held=D("2024-03-05", "yymd"), head="是", title="正职", concluded=D("2024-06-01", "yymd"), result="驳回诉讼请求"),
        row(2, filed=D("2024-01-26", "mdy"), held=D("2024-03-05", "mdy"), head="否", title="工作人员", concluded=D("2024-06-01", "mdy"), result="撤销"),
        row(3, filed=D("2024-01-26T09:30:00", "dt"), held=D("2024-03-05T15:00:00", "dt")),
        row(4, filed=D("2024-01-26", "long")),
        row(5, filed="2024-01-26"), row(6, filed="2024/1/26"), row(7, filed="2024.1.26"), row(8, filed="２０２４．１．２６"),
        row(9, filed="2024年1月26日"), row(10, filed="20240126"), row(11, filed="2024-01-26 00:00:00"), row(12, filed=N(45317)),
    ])],
    # A merged title and a 填报单位 line above the header (row 3).
    "title-row": [("Sheet1", [[Across(10, "汝州市行政诉讼案件统计表（2024年）")] + [None] * 9,
        ["填报单位：汝州市人民法院行政审判庭", "", "", "", "", "", "", "", "填报日期：2024年7月1日", ""],
        HEADER, row(21), row(22)])],
    # Two years, one sheet each; a bad row in the second.
    "two-sheets": [("2024年", [HEADER, row(31), row(32)]),
                   ("2025年", [HEADER, ["（2025）豫0482行初33号", "原告33", "汝州市公安局", "行政处罚", D("2025-02-10")],
                               ["（2025）豫0482行初34号", "原告34", "汝州市公安局", "行政处罚", "下周"]])],
    # A 填表说明 sheet in front of the data.
    "cover-sheet": [("填表说明", [["填表说明"], ["1. 案号按（2024）豫0482行初1号填写。"], ["2. 日期填写为日期格式。"]]),
                    ("案件", [HEADER, row(41)])],
    # 被告 merged down over three rows, 案由 over two.
    "merged": [("Sheet1", [HEADER,
        row(51, defendant=Down(3, "汝州市自然资源和规划局"), cause=Down(2, "行政处罚")),
        row(52, defendant=None, cause=None),
        row(53, defendant=None, cause="行政强制"),
        row(54)])],
    # A blank row, a totals row and two footer lines below the data.
    "totals": [("Sheet1", [HEADER, row(61), row(62), [""] * 10,
        ["合计", "", "2件", "", "", "", "", "", "", ""],
        ["制表人：张三", "", "", "审核人：李四", "", "", "", "", "", ""],
        ["备注：本表由法院行政庭提供", "", "", "", "", "", "", "", "", ""]])],
    # A hidden second 被告 column (K) left from an earlier version.
    "hidden-duplicate": [("Sheet1", [HEADER + ["被告"], row(71) + ["汝州市住房和城乡建设局"]])] ,
    # 出庭人职务 as clerks write it.
    "titles": [("Sheet1", [HEADER,
        row(81, held=D("2024-03-05"), head="是", title="局长"),
        row(82, held=D("2024-03-05"), head="是", title="副局长"),
        row(83, held=D("2024-03-05"), head="是", title="分管副局长"),
        row(84, held=D("2024-03-05"), head="否", title="科员"),
        row(85, held=D("2024-03-05"), head="否", title="律师"),
        row(86, held=D("2024-03-05"), head="是", title="公安局局长"),
        row(87, held=D("2024-03-05"), head="是", title="科员"),
        row(88, held=D("2024-03-05"), head="是", title="看门大爷")])],
    # Defendants as court files name them: the city government, a 街道办事处
    # and a town government by their full, short and loose names, and
    # co-defendants joined by 、 and ；.
    "defendants": [("Sheet1", [HEADER,
        row(91, defendant="汝州市人民政府", cause="行政征收"),
        row(92, defendant="市政府", cause="政府信息公开"),
        row(93, defendant="汝州市钟楼街道办事处", cause="行政强制"),
        row(94, defendant="钟楼街道办事处", cause="行政强制"),
        row(95, defendant="钟楼街道", cause="行政强制"),
        row(96, defendant="汝州市临汝镇人民政府", cause="行政强制"),
        row(97, defendant="汝州市人民政府、汝州市自然资源和规划局", cause="行政征收"),
        row(98, defendant="汝州市城市管理局；钟楼街道办事处", cause="行政强制"),
        row(99, defendant="汝州市不存在局", cause="行政处罚")])],
}
HIDDEN = {"hidden-duplicate": {10}}


def main():
    out = HERE
    only = sys.argv[1:]  # the workbooks to make again; none: all files
    work = tempfile.mkdtemp()
    try:
        for name, sheets in FILES.items():
            if only and name not in only:
                continue
            src = os.path.join(work, name + ".fods")
            with open(src, "w", encoding="utf-8") as f:
                f.write(fods([(s[0], s[1], HIDDEN.get(name, ())) for s in sheets]))
            convert(src, "xlsx", work)
            shutil.copy(os.path.join(work, name + ".xlsx"), os.path.join(out, name + ".xlsx"))
        if only:
            return
        # The dates file as Excel on Chinese Windows saves CSV: GB18030, CRLF
        # (LibreOffice's CSV filter: comma, double quote, charset 85 = GB18030,
        # first line 1, dates as shown).
        convert(os.path.join(work, "titles.fods"), 'csv:Text - txt - csv (StarCalc):44,34,85,1,,0,false,true,true', work)
        data = open(os.path.join(work, "titles.csv"), "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        open(os.path.join(out, "titles-gb18030-crlf.csv"), "wb").write(data)
        # Old and other formats, refused by name.
        convert(os.path.join(work, "title-row.fods"), "xls", work)
        shutil.copy(os.path.join(work, "title-row.xls"), os.path.join(out, "excel97.xls"))
        shutil.copy(os.path.join(work, "title-row.xls"), os.path.join(out, "excel97-renamed.xlsx"))
        convert(os.path.join(work, "title-row.fods"), "ods", work)
        shutil.copy(os.path.join(work, "title-row.ods"), os.path.join(out, "opendocument.ods"))
    finally:
        shutil.rmtree(work)


def convert(src, to, outdir):
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", to, "--outdir", outdir, src], check=True,
                   stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
