// Command jiefen runs the dispute resolution and litigation monitoring
// service and its administrative tasks.
//
//	jiefen [serve] [--config FILE]     serve the API (the default command)
//	jiefen migrate [--config FILE]     apply pending database migrations
//	jiefen user create --username U --role ROLE [--org CODE] [--name 姓名] --password-stdin
//	jiefen help                        every command, a line each
//
// Configuration: the embedded configs/config.yaml, then --config FILE, then
// JIEFEN_* environment variables (see the README).
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
