package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func cmdGet(args []string) int {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 3*time.Second, "overall request timeout")
	body := fs.Bool("body", false, "print the response body after the status line")
	url, ok := parseTarget("get", fs, args)
	if !ok {
		return exitError
	}
	client := directClient(*timeout)
	// A redirect is an answer in its own right; following it would probe a second target.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get(url)
	if err != nil {
		return reportErr(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return reportErr(err)
	}
	code := exitOK
	if resp.StatusCode >= 500 {
		fmt.Printf("status %d\n", resp.StatusCode)
		code = exitError
	} else {
		fmt.Printf("ok %d\n", resp.StatusCode)
	}
	if *body {
		_, _ = os.Stdout.Write(b)
	}
	return code
}
