package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// command is one command of jiefen: the words that name it, what follows
// them, the line of the help that says what it does, and what runs it.
// The dispatcher and the help both read commands(), so that a command that
// can be run is listed, and one that is listed can be run.
type command struct {
	// name is the command's words, "serve" or "user create".
	name string
	// synopsis is what follows the name on the command line.
	synopsis string
	// summary says in a line, in Chinese, what the command does.
	summary string
	run     func(ctx context.Context, args []string, e env) error
}

// commands are every command of jiefen, in the order the help lists them.
func commands() []command {
	return []command{
		{"serve", "[--config FILE]", "启动服务（默认命令；数据库不存在时新建并迁移）", serveCmd},
		{"migrate", "[--config FILE]", "执行未完成的数据库迁移（数据库不存在时新建）", migrateCmd},
		{"user create", "--username U --role ROLE [--org CODE] [--name 姓名] --password-stdin [--config FILE]",
			"创建账号（主机引导，可创建任何角色，记入审计日志；库未建立时先建库）", userCreateCmd},
		{"calendar import", "[--year Y] [--config FILE] FILE", "导入某年国务院节假日安排（与 PUT /api/v1/calendar/{year} 相同）", calendarImportCmd},
		{"demo", "[--disputes N] [--seed S] [--accounts-file FILE] [--config FILE]", "载入汝州市演示数据，账号与密码写入 demo-accounts.txt", demoCmd},
		{"import", "--user U [--json] [--config FILE] FILE.csv|FILE.xlsx", "以用户 U 的名义导入法院案件台账", importCmd},
		{"keys new", "FILE", "生成新的密钥文件（个人信息加密与审计链）", keysNewCmd},
		{"keys rotate", "[--config FILE]", "新增数据密钥并用它重新加密全部个人信息", keysRotateCmd},
		{"help", "[命令]", "显示本说明（也可用 -h、--help）；help 命令：显示该命令的选项", helpCmd},
	}
}

// configNote says where every command that takes --config finds the
// service's configuration, database and key file.
const configNote = `配置：各命令与 serve 读取同一份配置：内置 configs/config.yaml，其次 --config FILE，再次 JIEFEN_* 环境变量（见 README）；
数据库与密钥文件即服务所用的（默认为工作目录下 data/jiefen.db 及其旁的 jiefen.keys）。
只有 serve、migrate、demo 和 user create 会新建数据库与密钥文件；其余命令遇数据库或密钥文件不存在即拒绝执行，并指明路径。
`

// usage is the text of jiefen help: every command with a line each.
func usage() string {
	var b strings.Builder
	b.WriteString("jiefen（解纷）：矛盾纠纷多元化解与行政应诉监测服务\n\n用法：jiefen [命令] [选项]\n\n命令：\n")
	for _, c := range commands() {
		writeCommandLine(&b, c)
	}
	b.WriteString("\n" + configNote + "jiefen 命令 -h 列出该命令的选项。\n")
	return b.String()
}

// writeCommandLine writes a command's line of the help: its words and
// synopsis, then what it does, on the next line when they are long.
func writeCommandLine(b *strings.Builder, c command) {
	const column = 43
	left := "  " + c.name + " " + c.synopsis
	if w := displayWidth(left); w < column-1 {
		b.WriteString(left + strings.Repeat(" ", column-w) + c.summary + "\n")
		return
	}
	b.WriteString(left + "\n" + strings.Repeat(" ", column) + c.summary + "\n")
}

// displayWidth is the columns s takes on a terminal: two for a Chinese
// character, one for any other.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x2E80 {
			w++
		}
	}
	return w
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// lookup finds the command args begin with, and the arguments after its
// words. The first word of a command with a subcommand alone (jiefen keys)
// is answered with that command's subcommands.
func lookup(args []string) (command, []string, error) {
	var found command
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) && len(c.name) > len(found.name) {
			found = c
		}
	}
	if found.name != "" {
		return found, args[len(strings.Fields(found.name)):], nil
	}
	if sub := subcommands(args[0]); len(sub) > 0 {
		var b strings.Builder
		b.WriteString("须写明子命令：\n")
		for _, c := range sub {
			writeCommandLine(&b, c)
		}
		return command{}, nil, usageError(strings.TrimRight(b.String(), "\n"))
	}
	return command{}, nil, usageError(fmt.Sprintf("没有命令“%s”：jiefen help 列出全部命令", args[0]))
}

// subcommands are the commands whose first word is word and that have
// more words.
func subcommands(word string) []command {
	var sub []command
	for _, c := range commands() {
		if first, _, more := strings.Cut(c.name, " "); more && first == word {
			sub = append(sub, c)
		}
	}
	return sub
}

// helpCmd prints every command (jiefen help), or the options of one
// (jiefen help import), or the subcommands of a word (jiefen help keys).
func helpCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprint(e.stdout, usage())
		return nil
	}
	c, _, err := lookup(args)
	if err != nil {
		if sub := subcommands(args[0]); len(sub) > 0 && len(args) == 1 {
			var b strings.Builder
			for _, c := range sub {
				writeCommandLine(&b, c)
			}
			fmt.Fprint(e.stdout, b.String())
			return nil
		}
		return err
	}
	if c.name == "help" {
		fmt.Fprint(e.stdout, usage())
		return nil
	}
	return c.run(ctx, []string{"-h"}, e)
}

// usageError is a command line jiefen cannot read: an unknown command or
// option, or arguments missing. It exits with status 2.
type usageError string

func (u usageError) Error() string { return string(u) }

// helpShown is returned by a command that printed its options for -h: the
// process exits with status 0 and runs nothing.
type helpShown struct{}

func (helpShown) Error() string { return "help shown" }

// flagSet is the options of the command name; parseFlags reads them.
func flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// parseFlags says what went wrong, in Chinese, and prints the options
	// for -h on standard output.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// newFlags is the options of a command on the service's database, with
// --config, read as serve reads it.
func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flagSet(name)
	return fs, fs.String("config", "", "YAML 配置文件 `FILE`，叠加在内置默认配置之上（其后再叠加 JIEFEN_* 环境变量），与 serve 所用的相同")
}

// parseFlags reads a command's options. For -h it prints the command's
// usage and options on standard output; an option it does not know, or
// one without its value, is a usageError in Chinese.
func parseFlags(fs *flag.FlagSet, args []string, e env) error {
	err := fs.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		writeUsage(e.stdout, fs)
		return helpShown{}
	}
	return usageError(fmt.Sprintf("%s（jiefen %s -h 列出全部选项）", flagProblem(err), fs.Name()))
}

// usagef is a usageError that ends by pointing to the command's options.
func usagef(fs *flag.FlagSet, format string, args ...any) error {
	return usageError(fmt.Sprintf(format, args...) + fmt.Sprintf("（jiefen %s -h 列出全部选项）", fs.Name()))
}

// flagProblem says in Chinese what the flag package found wrong.
func flagProblem(err error) string {
	msg := err.Error()
	var name, value string
	switch {
	case cut(msg, "flag provided but not defined: ", &name):
		return fmt.Sprintf("没有选项 --%s", strings.TrimLeft(name, "-"))
	case cut(msg, "flag needs an argument: ", &name):
		return fmt.Sprintf("选项 --%s 须带一个值", strings.TrimLeft(name, "-"))
	case cut(msg, "invalid boolean value ", &value), cut(msg, "invalid value ", &value):
		v, rest, _ := strings.Cut(value, " for ")
		rest = strings.TrimPrefix(rest, "flag ")
		flagName, _, _ := strings.Cut(rest, ":")
		return fmt.Sprintf("选项 --%s 的值 %s 不合要求", strings.TrimLeft(flagName, "-"), v)
	case cut(msg, "bad flag syntax: ", &value):
		return fmt.Sprintf("选项 %s 的写法不对", value)
	}
	return msg
}

// cut sets *rest to what follows prefix in s and reports whether s began
// with it.
func cut(s, prefix string, rest *string) bool {
	after, ok := strings.CutPrefix(s, prefix)
	if ok {
		*rest = after
	}
	return ok
}

// writeUsage writes what jiefen NAME -h prints: the command's line, what
// it does, and every option with its meaning in Chinese.
func writeUsage(w io.Writer, fs *flag.FlagSet) {
	c, _, _ := lookup(strings.Fields(fs.Name()))
	fmt.Fprintf(w, "用法：jiefen %s %s\n\n%s\n", c.name, c.synopsis, c.summary)
	type option struct{ left, text string }
	var opts []option
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		switch arg {
		case "string":
			arg = "值"
		case "int", "int64", "uint", "uint64":
			arg = "N"
		}
		left := "--" + f.Name
		if arg != "" {
			left += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			text += "（默认 " + f.DefValue + "）"
		}
		opts = append(opts, option{left, text})
		width = max(width, displayWidth(left))
	})
	if len(opts) > 0 {
		fmt.Fprintf(w, "\n选项：\n")
		for _, o := range opts {
			fmt.Fprintf(w, "  %s%s  %s\n", o.left, strings.Repeat(" ", width-displayWidth(o.left)), o.text)
		}
	}
	if fs.Lookup("config") != nil {
		fmt.Fprintf(w, "\n%s", configNote)
	}
}
