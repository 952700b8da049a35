// Command testsvc is the project's own e2e workload: one static binary that
// serves, probes and self-inspects, so the test cluster needs no upstream image.
package main

import (
	"fmt"
	"os"
)

// Exit codes shared by every client subcommand, so tests can assert on them.
const (
	exitOK      = 0
	exitError   = 1 // anything not covered below (bad usage, protocol error, 5xx)
	exitConnect = 2 // refused, reset or timed out: what a NetworkPolicy causes
	exitDenied  = 3 // the server answered but rejected our credentials or rights
)

const defaultUsage = `usage: testsvc [command] [args]
  serve                                  HTTP (+ optional gRPC/TCP) server (default)
  get URL [--timeout 3s] [--body]        HTTP GET
  tcp HOST:PORT [--timeout 3s]           TCP connect
  grpc-health HOST:PORT [--timeout 3s] [--service S]
  pg HOST:PORT --user U --db D [--query Q] [--timeout 5s] [--password-env NAME] [--wait D]   (password: $PGPASSWORD or $NAME)
  resp HOST:PORT [--user U] [--cmd "SET k v"] [--timeout 3s] (password: $REDIS_PASSWORD)
  poll URL [--interval 200ms] [--duration 60s] [--stop-file F]   count failed calls
  touch PATH                             create a file
  selfcheck                              print identity/capability facts as JSON
  sleep [SECONDS]                        sleep $SLEEP (or SECONDS) seconds, exit 0
  exit N                                 exit with code N
`

func main() {
	cmd, args := "serve", os.Args[1:]
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	os.Exit(run(cmd, args))
}

// run dispatches a subcommand and returns its exit code (kept apart from main for tests).
func run(cmd string, args []string) int {
	switch cmd {
	case "serve":
		return cmdServe(args)
	case "get":
		return cmdGet(args)
	case "tcp":
		return cmdTCP(args)
	case "grpc-health":
		return cmdGRPCHealth(args)
	case "pg":
		return cmdPG(args)
	case "resp":
		return cmdRESP(args)
	case "poll":
		return cmdPoll(args)
	case "touch":
		return cmdTouch(args)
	case "selfcheck":
		return cmdSelfcheck(args)
	case "sleep":
		return cmdSleep(args)
	case "exit":
		return cmdExit(args)
	case "help", "-h", "--help":
		fmt.Print(defaultUsage)
		return exitOK
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n%s", cmd, defaultUsage)
		return exitError
	}
}
