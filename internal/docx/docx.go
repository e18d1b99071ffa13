// Package docx writes Word documents (Office Open XML, ISO/IEC 29500) laid
// out as a Chinese government document (公文, GB/T 9704-2012): A4, margins
// of 37/35/28/26 mm, a title in 小标宋 二号 centred, headings in 黑体 三号,
// body text in 仿宋_GB2312 三号 with a first-line indent of two characters
// and a fixed line pitch of 28.95 pt, tables in 仿宋 四号, and pictures
// (PNG) in line. The fonts are named, not embedded: WPS, Word and
// LibreOffice use the named font where it is installed and a substitute
// otherwise. Pure Go: archive/zip and XML written by hand, no template.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// The fonts of GB/T 9704: the East Asian face named first, with a Latin
// face for digits and Latin letters.
const (
	FontTitle   = "方正小标宋简体"
	FontHeading = "黑体"
	FontBody    = "仿宋_GB2312"
	fontLatin   = "Times New Roman"
)

// Sizes in half-points (OOXML's w:sz): 二号 22 pt, 三号 16 pt, 四号 14 pt,
// 五号 10.5 pt.
const (
	sizeTitle   = 44
	sizeBody    = 32
	sizeTable   = 28
	sizeCaption = 21
)

// Document is a document being written, block by block.
type Document struct {
	title  string
	body   strings.Builder
	media  [][]byte // PNG pictures, word/media/image<i+1>.png
	links  []string // hyperlink targets, relationship rIdL<i+1>
	author string
	now    time.Time
}

// New starts a document titled title (its first line and its metadata),
// written by author at now.
func New(title, author string, now time.Time) *Document {
	d := &Document{title: title, author: author, now: now}
	d.body.WriteString(paragraph(pPr{align: "center", after: 480}, run(rPr{font: FontTitle, size: sizeTitle}, title)))
	return d
}

// Heading adds a section heading (黑体 三号), such as "七、社会矛盾纠纷依法有效化解".
func (d *Document) Heading(text string) {
	d.body.WriteString(paragraph(pPr{indent: true, keepNext: true}, run(rPr{font: FontHeading, size: sizeBody}, text)))
}

// Paragraph adds body text (仿宋 三号, indented two characters).
func (d *Document) Paragraph(text string) {
	d.body.WriteString(paragraph(pPr{indent: true}, run(rPr{font: FontBody, size: sizeBody}, text)))
}

// Note adds a small unindented line (五号), for a table's or a picture's
// caption and sources.
func (d *Document) Note(text string) {
	d.body.WriteString(paragraph(pPr{align: "left", exact: 360}, run(rPr{font: FontBody, size: sizeCaption}, text)))
}

// Cell is a table cell: its text and, when Link is not "", the address it
// links to.
type Cell struct {
	Text string
	Link string
}

// Table adds a table with a header row (bold, repeated on every page) and
// rows; widths are the columns' widths in twentieths of a point (the text
// width of the page is 8845).
func (d *Document) Table(widths []int, header []string, rows [][]Cell) {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>`)
	for i, h := range header {
		b.WriteString(d.cell(widths[i], Cell{Text: h}, true))
	}
	b.WriteString(`</w:tr>`)
	for _, r := range rows {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i, c := range r {
			b.WriteString(d.cell(widths[i], c, false))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	d.body.WriteString(b.String())
	d.body.WriteString(paragraph(pPr{exact: 240}, ""))
}

func (d *Document) cell(width int, c Cell, bold bool) string {
	r := run(rPr{font: FontBody, size: sizeTable, bold: bold}, c.Text)
	if c.Link != "" {
		d.links = append(d.links, c.Link)
		r = fmt.Sprintf(`<w:hyperlink r:id="rIdL%d" w:history="1">%s</w:hyperlink>`, len(d.links),
			run(rPr{font: FontBody, size: sizeTable, bold: bold, link: true}, c.Text))
	}
	align := "center"
	if !bold && width >= 2500 {
		align = "left"
	}
	return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>%s</w:tc>`,
		width, paragraph(pPr{align: align, exact: 360}, r))
}

// Picture adds a PNG picture in line, centred, widthCm wide and heightCm
// high, with alt text.
func (d *Document) Picture(png []byte, widthCm, heightCm float64, alt string) {
	d.media = append(d.media, png)
	n := len(d.media)
	cx, cy := int64(widthCm*360000), int64(heightCm*360000) // EMU
	alt = escape(alt)
	drawing := fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/>`+
		`<wp:docPr id="%d" name="图%d" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png" descr="%s"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdM%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`,
		cx, cy, n, n, alt, n, n, alt, n, cx, cy)
	d.body.WriteString(paragraph(pPr{align: "center"}, drawing))
}

// Bytes returns the .docx file.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	put := func(name, text string) error {
		w, err := z.Create(name)
		if err == nil {
			_, err = w.Write([]byte(text))
		}
		return err
	}
	var rels strings.Builder
	rels.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	for i := range d.media {
		fmt.Fprintf(&rels, `<Relationship Id="rIdM%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
	}
	for i, l := range d.links {
		fmt.Fprintf(&rels, `<Relationship Id="rIdL%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="%s" TargetMode="External"/>`, i+1, escape(l))
	}
	rels.WriteString(`</Relationships>`)
	at := d.now.UTC().Format("2006-01-02T15:04:05Z")
	parts := []struct{ name, text string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"docProps/core.xml", fmt.Sprintf(coreProps, escape(d.title), escape(d.author), at, at)},
		{"docProps/app.xml", appProps},
		{"word/document.xml", xmlHeader + `<w:document ` + namespaces + `><w:body>` + d.body.String() + sectPr + `</w:body></w:document>`},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/_rels/document.xml.rels", rels.String()},
	}
	for _, p := range parts {
		if err := put(p.name, p.text); err != nil {
			return nil, err
		}
	}
	for i, m := range d.media {
		w, err := z.Create(fmt.Sprintf("word/media/image%d.png", i+1))
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(m); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pPr is a paragraph's properties.
type pPr struct {
	align    string // left, center, both (justified: the default)
	indent   bool   // first line indented two characters
	keepNext bool
	after    int // space after, in twentieths of a point
	exact    int // a fixed line pitch other than the body's, twentieths of a point
}

// paragraph writes a paragraph of runs.
func paragraph(p pPr, runs string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr>`)
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	line := 579 // 28.95 pt: 22 lines to the page (GB/T 9704, 7.1)
	if p.exact > 0 {
		line = p.exact
	}
	fmt.Fprintf(&b, `<w:spacing w:before="0" w:after="%d" w:line="%d" w:lineRule="exact"/>`, p.after, line)
	if p.indent {
		b.WriteString(`<w:ind w:firstLineChars="200" w:firstLine="640"/>`)
	}
	align := p.align
	if align == "" {
		align = "both"
	}
	fmt.Fprintf(&b, `<w:jc w:val="%s"/></w:pPr>%s</w:p>`, align, runs)
	return b.String()
}

// rPr is a run's properties.
type rPr struct {
	font string
	size int
	bold bool
	link bool
}

// run writes text in one run.
func run(r rPr, text string) string {
	if text == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<w:r><w:rPr><w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s"/>`, fontLatin, fontLatin, r.font, fontLatin)
	if r.bold {
		b.WriteString(`<w:b/>`)
	}
	if r.link {
		b.WriteString(`<w:color w:val="0563C1"/><w:u w:val="single"/>`)
	}
	fmt.Fprintf(&b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, r.size, r.size, escape(text))
	return b.String()
}

// escape makes text safe inside XML, dropping the characters XML 1.0
// cannot hold.
func escape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF) {
			return r
		}
		return -1
	}, s)))
	return b.String()
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const namespaces = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

// sectPr: A4 (210 × 297 mm) with GB/T 9704's margins: top 37 mm, bottom
// 35 mm, left 28 mm, right 26 mm (in twentieths of a point: 1 mm = 56.7).
const sectPr = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>` +
	`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/>` +
	`<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="0"/></w:sectPr>`

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const coreProps = xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
	`<dc:title>%s</dc:title><dc:creator>%s</dc:creator>` +
	`<dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">%s</dcterms:modified>` +
	`</cp:coreProperties>`

const appProps = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>jiefen</Application></Properties>`

const settings = xmlHeader + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat/></w:settings>`

// styles: the default run is 仿宋_GB2312 三号, the language zh-CN.
const styles = xmlHeader + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + fontLatin + `" w:hAnsi="` + fontLatin + `" w:eastAsia="` + FontBody + `" w:cs="` + fontLatin + `"/>` +
	`<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="579" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
	`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`
