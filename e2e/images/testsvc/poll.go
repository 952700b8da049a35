package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// cmdPoll calls URL every --interval until --duration passes or --stop-file appears, then prints
// "calls=N failed=M" (a failure: no answer, or a 5xx): what a rollout test counts. Bounded in count and time.
func cmdPoll(args []string) int {
	fs := flag.NewFlagSet("poll", flag.ContinueOnError)
	interval := fs.Duration("interval", 200*time.Millisecond, "pause between calls")
	duration := fs.Duration("duration", 60*time.Second, "longest the loop runs")
	timeout := fs.Duration("timeout", 2*time.Second, "timeout of one call")
	stopFile := fs.String("stop-file", "", "stop as soon as this file exists")
	url, ok := parseTarget("poll", fs, args)
	if !ok {
		return exitError
	}
	client := directClient(*timeout)
	deadline := time.Now().Add(*duration)
	calls, failed := 0, 0
	for time.Now().Before(deadline) {
		if *stopFile != "" {
			if _, err := os.Stat(*stopFile); err == nil {
				break
			}
		}
		calls++
		resp, err := client.Get(url)
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "%s call %d: %v\n", time.Now().UTC().Format("15:04:05.000"), calls, err)
		} else {
			if resp.StatusCode >= 500 {
				failed++
				fmt.Fprintf(os.Stderr, "%s call %d: status %d\n", time.Now().UTC().Format("15:04:05.000"), calls, resp.StatusCode)
			}
			resp.Body.Close()
		}
		time.Sleep(*interval)
	}
	fmt.Printf("calls=%d failed=%d\n", calls, failed)
	if failed > 0 {
		return exitError
	}
	return exitOK
}

// cmdTouch creates (or empties) a file, e.g. the stop file of a poll running in the same pod.
func cmdTouch(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "touch: want one path")
		return exitError
	}
	if err := os.WriteFile(args[0], nil, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "touch: %v\n", err)
		return exitError
	}
	return exitOK
}
