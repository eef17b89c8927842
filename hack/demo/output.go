package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// started is when the demo began; every line says how long ago that was.
var started = time.Now()

// say prints one line of the demo's narrative, prefixed with the elapsed time.
func say(format string, args ...any) {
	fmt.Printf("%6s  %s\n", elapsed(), fmt.Sprintf(format, args...))
}

// elapsed is the time since the demo started, in whole seconds.
func elapsed() string {
	return fmt.Sprintf("+%ds", int(time.Since(started).Seconds()))
}

// roughly formats a duration for people: 1.2s, 42s, 3m10s.
func roughly(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// relative shows path relative to the working directory when it is inside it.
func relative(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return rel
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
