package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"jiefen/configs"
	"jiefen/internal/pii"
	"jiefen/internal/sqlstore"
)

// keyring returns the keys that seal personal data: JIEFEN_PII_KEYS, the
// key file, or (SQLite without a key file named) jiefen.keys beside the
// database, made on the first start when create is given (see openStore).
// A key file that is not there is otherwise refused, naming it.
func keyring(c configs.Config, create bool, notice func(string)) (*pii.Keyring, error) {
	if err := pii.CheckSM4(); err != nil {
		return nil, err
	}
	if c.PII.Keys != "" {
		return pii.EnvProvider{Value: c.PII.Keys}.Keyring()
	}
	path := keyFilePath(c)
	if path == "" {
		return nil, errors.New("没有加密个人信息的密钥：请设置 pii.key_file（JIEFEN_PII_KEY_FILE）或 JIEFEN_PII_KEYS")
	}
	if missing(path) {
		if !create || c.PII.KeyFile != "" {
			return nil, missingKeyFile(c, path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		made, err := pii.EnsureKeyFile(path)
		if err != nil {
			return nil, err
		}
		if made {
			if abs, err := filepath.Abs(path); err == nil {
				path = abs
			}
			notice(fmt.Sprintf("已新建密钥文件 %s，用于加密个人信息与审计链；请与数据库分开备份", path))
		}
	}
	return pii.FileProvider{Path: path}.Keyring()
}

// missingKeyFile refuses a key file that is not there, naming it.
func missingKeyFile(c configs.Config, path string) error {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if c.PII.KeyFile != "" {
		return fmt.Errorf("密钥文件 %s（pii.key_file）不存在：请从备份恢复；新部署可先用 jiefen keys new %s 生成", path, path)
	}
	return fmt.Errorf("密钥文件 %s 不存在：没有它，数据库中已加密的个人信息无法读出；请从备份恢复，本命令不新建密钥文件", path)
}

// keyFilePath is the configured key file, or with SQLite jiefen.keys
// beside the database file.
func keyFilePath(c configs.Config) string { return besideDatabase(c, c.PII.KeyFile, "jiefen.keys") }

// anchorFilePath is the configured audit anchor file, or with SQLite
// jiefen.anchors beside the database file; "" with MySQL unless
// configured (configs.Audit).
func anchorFilePath(c configs.Config) string {
	return besideDatabase(c, c.Audit.AnchorFile, "jiefen.anchors")
}

// besideDatabase is the configured path, or with SQLite the file name
// beside the database file; "" with MySQL, whose replicas share no disk.
func besideDatabase(c configs.Config, configured, name string) string {
	if configured != "" {
		return configured
	}
	if c.DB.Driver == "sqlite" {
		file := sqlstore.SQLiteFile(c.DB.DSN) // a "file:" DSN names its file too
		if file == "" {
			file = c.DB.DSN
		}
		return filepath.Join(filepath.Dir(file), name)
	}
	return ""
}

// keysNewCmd writes a fresh key file (mode 600), never over one.
func keysNewCmd(_ context.Context, args []string, e env) error {
	fs := flagSet("keys new")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef(fs, "须指明要生成的密钥文件，例如 jiefen keys new /etc/jiefen/keys.json")
	}
	path := fs.Arg(0)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s 已存在：密钥文件从不覆盖", path)
	}
	f, err := pii.NewKeyFile()
	if err != nil {
		return err
	}
	if err := pii.WriteKeyFile(path, f); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已生成密钥文件 %s（数据密钥 %s、盲索引密钥和审计密钥）；请与数据库分开备份\n", path, f.Current)
	return nil
}

// keysRotateCmd adds a data key to the service's key file, makes it current
// and reseals every stored value under it, in batches. The database and
// the key file are those of serve, and must be there: nothing is changed
// before both are found.
func keysRotateCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("keys rotate")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "多余的参数 %s", strings.Join(fs.Args(), " "))
	}
	c, err := loadConfig(*cfgPath, e)
	if err != nil {
		return err
	}
	if c.PII.Keys != "" {
		return errors.New("密钥来自环境变量 JIEFEN_PII_KEYS：请在其中新增密钥（keys 中加 k2，current 改为 k2）后重启服务，启动时即重新加密")
	}
	path := keyFilePath(c)
	if path == "" {
		return errors.New("未配置密钥文件（pii.key_file）")
	}
	db, err := migrated(ctx, c, e, false) // the database and the key file are there and open
	if err != nil {
		return err
	}
	db.Close()
	f, err := readKeyFile(path)
	if err != nil {
		return err
	}
	id, err := f.AddKey()
	if err != nil {
		return err
	}
	if err := pii.WriteKeyFile(path, f); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已在 %s 中新增数据密钥 %s 并设为当前密钥\n", path, id)
	if db, err = openStore(ctx, c, false, say(e)); err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.SealPersonalData(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已用 %s 重新加密：纠纷 %d 件，复议申请人 %d 名，当事人索引 %d 条，自由文本 %d 段；其他副本须换用新密钥文件后重启\n",
		rep.Key, rep.Disputes, rep.Reconsideration, rep.PartyIDs, rep.Texts)
	return nil
}

func readKeyFile(path string) (pii.KeyFile, error) {
	var f pii.KeyFile
	b, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	return f, json.Unmarshal(b, &f)
}

// sealExisting seals what an older version stored in clear, or reseals
// under a new current key (a no-op once done with this key).
func sealExisting(ctx context.Context, db *sqlstore.DB, notice func(string)) error {
	rep, err := db.SealPersonalData(ctx)
	if err != nil {
		return fmt.Errorf("加密个人信息时出错：%w", err)
	}
	if n := rep.Disputes + rep.Reconsideration + rep.PartyIDs + rep.Texts; n > 0 {
		notice(fmt.Sprintf("已用密钥 %s 加密个人信息：纠纷 %d 件，复议申请人 %d 名，当事人索引 %d 条，自由文本 %d 段",
			rep.Key, rep.Disputes, rep.Reconsideration, rep.PartyIDs, rep.Texts))
	}
	return nil
}

// say writes a command's notices to its standard error.
func say(e env) func(string) {
	return func(msg string) { fmt.Fprintln(e.stderr, "jiefen: "+msg) }
}
