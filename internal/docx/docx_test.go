package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"jiefen/internal/docx"
)

// Text that XML cannot hold as typed (markup, an ampersand, control
// characters a pasted title may carry) is escaped or dropped: every part
// stays well-formed and says what was typed.
func TestHostileTextStaysWellFormed(t *testing.T) {
	d := docx.New(`标题 <w:p> & "引号"`, "leader\x00", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	d.Heading("一、\x01概况")
	d.Paragraph("</w:t></w:r><w:r><w:t>注入")
	d.Table([]int{4000, 4845}, []string{"指标", "数值"}, [][]docx.Cell{{{Text: "链接", Link: `https://example.gov.cn/a?x=1&y="2"`}, {Text: "1"}}})
	img, err := docx.YearOnYear([]docx.Pair{{Previous: 3, Current: 5}, {Previous: 0.2, Current: 0.1}}, false, 300, 120)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("the chart is no PNG: %v", err)
	}
	d.Picture(img, 10, 4, `图 <1>`)
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, f := range z.File {
		r, _ := f.Open()
		part, _ := io.ReadAll(r)
		r.Close()
		if strings.HasSuffix(f.Name, ".png") {
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(part))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
		if f.Name == "word/document.xml" {
			body = string(part)
		}
	}
	if !strings.Contains(body, "&lt;/w:t&gt;&lt;/w:r&gt;") || !strings.Contains(body, "标题 &lt;w:p&gt; &amp;") {
		t.Errorf("the text was not kept as text:\n%.600s", body)
	}
}
