// Command jiefen runs the dispute resolution and litigation monitoring
// service and its administrative tasks: serve (the default), migrate,
// user create, calendar import, demo, import, keys new, keys rotate and
// help. `jiefen help` lists them (commands in commands.go), and
// `jiefen COMMAND -h` prints a command's options.
//
// Configuration: the embedded configs/config.yaml, then --config FILE, then
// JIEFEN_* environment variables (see the README), read the same way by
// every command, which works on the database and key file serve works on.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // legal dates are in Asia/Shanghai on any machine
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, lookup: os.LookupEnv}))
}
