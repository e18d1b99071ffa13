// Makes the court files SheetJS (npm xlsx 0.18.5, the spreadsheet library web pages export
// with) writes: npm install xlsx@0.18.5 && node make.js (run with TZ=UTC).
const XLSX = require('xlsx');
const rows = [
  ['汝州市行政诉讼案件台账'],
  ['案号', '原告', '被告', '案由', '立案日期', '开庭日期', '负责人出庭', '出庭人职务', '结案日期', '结案方式'],
  ['（2024）豫0482行初201号', '张某', '汝州市公安局', '行政处罚', new Date(Date.UTC(2024, 0, 26)), new Date(Date.UTC(2024, 2, 5)), '是', '局长', new Date(Date.UTC(2024, 5, 1)), '判决驳回诉讼请求'],
  ['（2024）豫0482行初202号', '某公司', '汝州市人民政府', '行政征收', new Date(Date.UTC(2024, 1, 29)), null, null, null, null, null],
  ['合计', '2件'],
];
const ws = XLSX.utils.aoa_to_sheet(rows, { cellDates: true, dateNF: 'yyyy"年"m"月"d"日"' });
ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 9 } }];
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, '2024年');
XLSX.writeFile(wb, 'sheetjs.xlsx', { cellDates: false });
const wb2 = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb2, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), 'S');
XLSX.writeFile(wb2, 'sheetjs-dates.xlsx', { cellDates: true });
