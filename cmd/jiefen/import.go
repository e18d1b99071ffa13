package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"jiefen"
	"jiefen/configs"
	"jiefen/internal/courtfile"
)

// importCmd imports a court caseload file (CSV or XLSX) as a user, who is
// audited for it: jiefen import --user U FILE. It reads the file as the API
// does (the same checks, limits and report); on a terminal it shows a
// progress bar of rows. It prints the report, every rejected field with
// its sheet and row, and a refused file's reasons; --json prints the
// API's answer as is.
func importCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("import")
	username := fs.String("user", "", "以其名义导入的账号 `U`（法院联络员，记入审计日志）")
	asJSON := fs.Bool("json", false, "按 API 的应答原样输出导入报告（JSON）")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *username == "" || fs.NArg() != 1 {
		return usagef(fs, "须用 --user 指明账号，并指明一个台账文件（CSV 或 XLSX）")
	}
	path := fs.Arg(0)
	c, db, err := openMigrated(ctx, *cfgPath, e, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := seedOrgs(ctx, db, c); err != nil {
		return err
	}
	u, err := db.Users.User(ctx, *username)
	if jiefen.ErrorCodeOf(err) == jiefen.ENOTFOUND {
		return fmt.Errorf("没有账号 %s", *username)
	} else if err != nil {
		return fmt.Errorf("账号 %s：%w", *username, err)
	}
	ctx = jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgCode: u.OrgCode}), "cli-import")
	src, err := os.Open(path)
	if err != nil {
		return unreadable(path, err)
	}
	defer src.Close()
	file, err := courtfile.Open(ctx, src, importLimits(c))
	if err != nil {
		return err
	}
	defer file.Close()
	var bar *progressbar.ProgressBar
	if out, ok := e.stderr.(*os.File); ok && isatty.IsTerminal(out.Fd()) && !*asJSON {
		bar = progressbar.Default(int64(file.Rows()), "导入 "+filepath.Base(path))
	}
	rep, err := db.CourtSync.ImportFile(ctx, filepath.Base(path), file, c.Litigation.AppearerTitles.Titles(), func(rows int) {
		if bar != nil {
			bar.Set(rows)
		}
	})
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	fmt.Fprintf(e.stdout, "导入 %d（%s）：%d 行，新增 %d，更新 %d，无变化 %d，跳过 %d，拒收 %d 行\n",
		rep.ID, rep.Name, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Skipped, rep.RejectedRows)
	if len(rep.SkippedSheets) > 0 {
		fmt.Fprintf(e.stdout, "没有表头而未导入的工作表：%s\n", strings.Join(rep.SkippedSheets, "、"))
	}
	for _, r := range rep.Rejected {
		where := fmt.Sprintf("第 %d 行", r.Row)
		if r.Sheet != "" {
			where = fmt.Sprintf("工作表“%s”%s", r.Sheet, where)
		}
		fmt.Fprintf(e.stdout, "  %s，%s：%s\n", where, r.Field, r.Message)
	}
	return nil
}

// importLimits are the configured limits of a court caseload file.
func importLimits(c configs.Config) courtfile.Limits {
	l := c.Litigation.Imports
	return courtfile.Limits{File: c.HTTP.ImportLimit, Unzipped: l.UnzippedLimit, Row: l.RowLimit, Rows: l.MaxRows}
}
