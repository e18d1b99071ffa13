package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const xlsxMedia = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TestHostileCourtFiles sends the files an attacker would to a `jiefen
// serve` of its own (built without the race detector, so that its memory is
// the product's): a zip bomb, a zip that lies about its size, 300,000 rows
// with a cell in column XFD, a 40 MiB CSV line, a body past the upload
// limit. Each is refused within seconds (413, or 400 for the lie), nothing
// stays in the temporary directory, and the service's peak RSS stays under
// 300 MB. A client that gives up on a large import stops the work. A
// spooled file an older version left behind is gone after the start.
func TestHostileCourtFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the service")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "jiefen")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o700)
	os.WriteFile(filepath.Join(tmp, "jiefen-import-123.xlsx"), []byte("left by a killed import"), 0o600)
	vars := []string{"JIEFEN_DB_DSN=" + filepath.Join(dir, "j.db"), "JIEFEN_JOBS_ENABLED=false", "TMPDIR=" + tmp}
	user := exec.Command(bin, "user", "create", "--username", "liaison", "--role", "court_liaison", "--password-stdin")
	user.Env, user.Stdin = append(os.Environ(), vars...), strings.NewReader("Liaison-Pass-2026\n")
	if out, err := user.CombinedOutput(); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	serve := exec.Command(bin, "serve")
	serve.Env = append(append(os.Environ(), vars...), "JIEFEN_HTTP_ADDR="+addr)
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	base := "http://" + addr
	waitReady(t, base)
	token := loginAs(t, base, "liaison", "Liaison-Pass-2026")
	if left, _ := filepath.Glob(filepath.Join(tmp, "jiefen-import-*")); len(left) > 0 {
		t.Errorf("after the start the temporary directory still holds %v", left)
	}

	post := func(ctx context.Context, media string, body io.Reader) (int, string, time.Duration) {
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/litigation/imports", body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", media)
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error(), time.Since(start)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), time.Since(start)
	}
	for _, c := range []struct {
		name  string
		media string
		body  func() io.Reader
		code  int
	}{
		{"a 2 MB XLSX holding a 2 GiB zero-filled sheet", xlsxMedia, func() io.Reader { return bytes.NewReader(zipBomb(t, 2<<30, 2<<30)) }, 413},
		{"the same bomb declaring 1 MiB", xlsxMedia, func() io.Reader { return bytes.NewReader(zipBomb(t, 2<<30, 1<<20)) }, 400},
		{"300,000 rows with a cell in column XFD", xlsxMedia, func() io.Reader { return bytes.NewReader(wideRows(t, 300_000)) }, 413},
		{"a CSV whose second line is 40 MiB", "text/csv", func() io.Reader {
			return io.MultiReader(strings.NewReader("案号,原告,被告,案由,立案日期\n（2024）豫0482行初1号,"), io.LimitReader(zeros('a'), 40<<20), strings.NewReader("\n"))
		}, 413},
		{"a 60 MiB body sent without a length", "text/csv", func() io.Reader {
			return io.MultiReader(strings.NewReader("案号,原告,被告,案由,立案日期\n"), io.LimitReader(zeros('\n'), 60<<20))
		}, 413},
	} {
		code, body, took := post(context.Background(), c.media, c.body())
		t.Logf("%s: %d in %s", c.name, code, took.Round(time.Millisecond))
		if code != c.code || took > 10*time.Second {
			t.Errorf("%s: %d in %s, want %d within 10s: %.300s", c.name, code, took, c.code, body)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
			t.Errorf("%s left %v in the temporary directory", c.name, left)
		}
	}

	// A client that gives up on a 100,000-row import stops the work.
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	code, _, _ := post(ctx, "text/csv", bytes.NewReader(bigCSV(100_000)))
	if code != 0 {
		t.Fatalf("the import finished (%d) before the client gave up: make it larger", code)
	}
	time.Sleep(time.Second)
	before := cpuTime(t, serve.Process.Pid)
	time.Sleep(2 * time.Second)
	if busy := cpuTime(t, serve.Process.Pid) - before; busy > 300*time.Millisecond {
		t.Errorf("the service kept working %s of the 2 s after the client went away", busy)
	}

	if peak := peakRSS(t, serve.Process.Pid); peak > 300<<20 {
		t.Errorf("peak RSS %d MB, want under 300 MB", peak>>20)
	} else {
		t.Logf("peak RSS %d MB", peak>>20)
	}
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service did not become ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func loginAs(t *testing.T, base, username, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	res, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != http.StatusOK || out.Token == "" {
		t.Fatalf("login = %d", res.StatusCode)
	}
	return out.Token
}

// zeros is an endless reader of one byte.
type zeros byte

func (z zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(z)
	}
	return len(p), nil
}

// xlsxWith zips a workbook of one sheet whose part is given raw (its
// deflated bytes, CRC and sizes as declared).
func xlsxWith(t *testing.T, sheet func(zw *zip.Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	} {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	if err := sheet(zw); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// zipBomb is a workbook whose sheet unzips to size zero bytes, declaring
// declared: one megabyte of zeros deflated once and its blocks repeated.
func zipBomb(t *testing.T, size, declared int64) []byte {
	return xlsxWith(t, func(zw *zip.Writer) error {
		var chunk bytes.Buffer
		fw, _ := flate.NewWriter(&chunk, flate.BestCompression)
		mb := make([]byte, 1<<20)
		fw.Write(mb)
		fw.Flush() // byte-aligned, not final: the blocks can be repeated
		crc := uint32(0)
		var body bytes.Buffer
		for n := int64(0); n < size; n += 1 << 20 {
			body.Write(chunk.Bytes())
			crc = crc32.Update(crc, crc32.IEEETable, mb)
		}
		body.Write([]byte{1, 0, 0, 0xff, 0xff}) // the final, empty, stored block
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(body.Len()), UncompressedSize64: uint64(declared)})
		if err != nil {
			return err
		}
		_, err = w.Write(body.Bytes())
		return err
	})
}

// wideRows is a workbook of the court's header and n rows, each with a
// cell in the last column there is (XFD).
func wideRows(t *testing.T, n int) []byte {
	return xlsxWith(t, func(zw *zip.Writer) error {
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
		for i, h := range []string{"案号", "原告", "被告", "案由", "立案日期"} {
			fmt.Fprintf(w, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
		}
		io.WriteString(w, `</row>`)
		for r := 2; r <= n+1; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>（2024）豫0482行初%d号</t></is></c><c r="XFD%d"><v>1</v></c></row>`, r, r, r, r)
		}
		_, err = io.WriteString(w, `</sheetData></worksheet>`)
		return err
	})
}

// bigCSV is a caseload of n good rows.
func bigCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("案号,原告,被告,案由,立案日期,开庭日期,负责人出庭,出庭人职务,结案日期,结案方式\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "（2024）豫0482行初%d号,原告%d,汝州市公安局,行政处罚,2024-03-05,2024-05-06,是,局长,2024-07-01,撤销\n", i, i)
	}
	return b.Bytes()
}

// cpuTime is the CPU a process has used (user and system).
func cpuTime(t *testing.T, pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// peakRSS is a process's peak resident set (VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
