package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"jiefen/configs"
	"jiefen/internal/pii"
	"jiefen/internal/sqlstore"
)

// keyring returns the keys that seal personal data: JIEFEN_PII_KEYS, the
// key file, or (SQLite without a key file named) jiefen.keys beside the
// database, made on the first start.
func keyring(c configs.Config, notice func(string)) (*pii.Keyring, error) {
	if err := pii.CheckSM4(); err != nil {
		return nil, err
	}
	if c.PII.Keys != "" {
		return pii.EnvProvider{Value: c.PII.Keys}.Keyring()
	}
	path := keyFilePath(c)
	if path == "" {
		return nil, errors.New("no keys for personal data: set pii.key_file or JIEFEN_PII_KEYS")
	}
	if c.PII.KeyFile == "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		made, err := pii.EnsureKeyFile(path)
		if err != nil {
			return nil, err
		}
		if made {
			notice(fmt.Sprintf("made the key file %s that seals personal data; back it up apart from the database", path))
		}
	}
	return pii.FileProvider{Path: path}.Keyring()
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
		return filepath.Join(filepath.Dir(c.DB.DSN), name)
	}
	return ""
}

// keysCmd: `jiefen keys new FILE` writes a fresh key file (mode 600);
// `jiefen keys rotate` adds a data key to the configured key file, makes
// it current and reseals every stored value under it, in batches.
func keysCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("want: jiefen keys new FILE | jiefen keys rotate [--config FILE]")
	}
	switch args[0] {
	case "new":
		if len(args) != 2 {
			return errors.New("want: jiefen keys new FILE")
		}
		if _, err := os.Stat(args[1]); err == nil {
			return fmt.Errorf("%s exists: a key file is never overwritten", args[1])
		}
		f, err := pii.NewKeyFile()
		if err != nil {
			return err
		}
		if err := pii.WriteKeyFile(args[1], f); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s (data key %s, the blind-index key and the audit key); back it up apart from the database\n", args[1], f.Current)
		return nil
	case "rotate":
		fs, cfgPath := newFlags("keys rotate", e)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		c, err := loadConfig(*cfgPath, e)
		if err != nil {
			return err
		}
		if c.PII.Keys != "" {
			return errors.New("the keys come from JIEFEN_PII_KEYS: add a key there (keys.k2, current k2) and restart; the start reseals")
		}
		if c.DB.Driver == "sqlite" {
			if err := databaseExists(c.DB.DSN); err != nil { // no key file to make beside a database that is not there
				return err
			}
		}
		path := keyFilePath(c)
		if path == "" {
			return errors.New("no key file configured (pii.key_file)")
		}
		if _, err := keyring(c, say(e)); err != nil { // the file exists and opens
			return err
		}
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
		fmt.Fprintf(e.stdout, "added data key %s to %s and made it current\n", id, path)
		db, err := openStore(ctx, c, say(e))
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		rep, err := db.SealPersonalData(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "resealed under %s: %d disputes, %d reconsideration applicants, %d party indexes, %d free texts; other replicas must restart with the new file\n",
			rep.Key, rep.Disputes, rep.Reconsideration, rep.PartyIDs, rep.Texts)
		return nil
	}
	return fmt.Errorf("unknown keys command %q", args[0])
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
		return fmt.Errorf("sealing personal data: %w", err)
	}
	if n := rep.Disputes + rep.Reconsideration + rep.PartyIDs + rep.Texts; n > 0 {
		notice(fmt.Sprintf("sealed personal data under key %s: %d disputes, %d applicants, %d party indexes, %d free texts",
			rep.Key, rep.Disputes, rep.Reconsideration, rep.PartyIDs, rep.Texts))
	}
	return nil
}

// say writes a command's notices to its standard error.
func say(e env) func(string) {
	return func(msg string) { fmt.Fprintln(e.stderr, "jiefen: "+msg) }
}
