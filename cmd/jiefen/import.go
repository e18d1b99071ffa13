package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"jiefen"
	"jiefen/internal/courtfile"
	"jiefen/litigation"
)

// importCmd imports a court caseload file (CSV or XLSX) as a user, who is
// audited for it: jiefen import --user U FILE. On a terminal it shows a
// progress bar; at the end it prints the report and the rejected rows.
func importCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("import", e)
	username := fs.String("user", "", "the court liaison the import is done as (audited)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" || fs.NArg() != 1 {
		return errors.New("want: jiefen import --user U FILE")
	}
	path := fs.Arg(0)
	kind, ok := courtfile.KindOf(path)
	if !ok {
		return fmt.Errorf("%s: want a .csv or .xlsx file", path)
	}
	c, db, err := openMigrated(ctx, *cfgPath, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := seedOrgs(ctx, db, c); err != nil {
		return err
	}
	u, err := db.User(ctx, *username)
	if err != nil {
		return fmt.Errorf("user %s: %w", *username, err)
	}
	ctx = jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgCode: u.OrgCode}), "cli-import")
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	var bar *progressbar.ProgressBar
	var src io.Reader = f
	if out, ok := e.stderr.(*os.File); ok && isatty.IsTerminal(out.Fd()) {
		if kind == courtfile.CSV {
			bar = progressbar.DefaultBytes(info.Size(), "importing "+filepath.Base(path))
			src = io.TeeReader(f, bar)
		} else {
			bar = progressbar.Default(-1, "importing "+filepath.Base(path)+" (rows)")
		}
	}
	rep, err := db.ImportFile(ctx, filepath.Base(path), func(fn func(litigation.CourtRow) error) error {
		return courtfile.Read(src, kind, fn)
	}, func(rows int) {
		if bar != nil && kind == courtfile.XLSX {
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
	fmt.Fprintf(e.stdout, "import %d of %s: %d rows, %d created, %d updated, %d unchanged, %d rejected\n",
		rep.ID, rep.Name, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, len(rep.Rejected))
	for i, r := range rep.Rejected {
		if i == 50 {
			fmt.Fprintf(e.stdout, "  … and %d more\n", len(rep.Rejected)-50)
			break
		}
		fmt.Fprintf(e.stdout, "  row %d, %s: %s\n", r.Row, r.Field, r.Message)
	}
	return nil
}
