// Command exportbench measures `manager export` on a large book: it starts
// the simulator as its own process, seeds a book through the control API,
// runs the shipped manager binary's export against it over HTTP and writes
// the time, the Partner Center calls and the export process's peak memory
// to bench/results/export-n<N>.md. Run: make bench-export (BENCH_EXPORT_N customers).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

func main() {
	n := flag.Int("n", 5000, "customers in the book (3 subscriptions each, 1 reseller per 100, every 3rd MCA attested)")
	latency := flag.Duration("latency", 20*time.Millisecond, "simulated Partner Center latency per call")
	workers := flag.Int("workers", 8, "export --workers")
	qps := flag.Float64("qps", 0, "export --partner-center-qps (0: unlimited)")
	manager := flag.String("manager", "bin/manager", "the manager binary")
	simBin := flag.String("sim", "bin/partnercenter-sim", "the simulator binary")
	out := flag.String("out", "bench/results", "where the result goes")
	flag.Parse()
	if err := run(*n, *latency, *workers, *qps, *manager, *simBin, *out); err != nil {
		fmt.Fprintln(os.Stderr, "exportbench:", err)
		os.Exit(1)
	}
}

func run(n int, latency time.Duration, workers int, qps float64, manager, simBin, out string) error {
	ctx := context.Background()
	work, err := os.MkdirTemp("", "exportbench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	const addr = "127.0.0.1:18089"
	sim := exec.Command(simBin, "--listen", addr, "--latency", latency.String(), "--control-api")
	sim.Stdout, sim.Stderr = os.Stderr, os.Stderr
	if err := sim.Start(); err != nil {
		return err
	}
	defer func() { _ = sim.Process.Kill(); _ = sim.Wait() }()
	base := "http://" + addr
	if err := waitUp(base); err != nil {
		return err
	}
	book := pcsim.SampleBook(pcsim.BookSize{Customers: n, Subscriptions: 3 * n, Resellers: max(n/100, 1), MCAEvery: 3})
	if _, err := pcsim.SeedOverHTTP(ctx, base, book); err != nil {
		return err
	}
	creds := filepath.Join(work, "credentials")
	if err := writeTokens(base, creds); err != nil {
		return err
	}
	before, err := calls(base)
	if err != nil {
		return err
	}
	dir := filepath.Join(work, "book")
	export := exec.Command(manager, "export", "--out", dir, "--partner-center-url", base, "--credentials-dir", creds,
		"--workers", fmt.Sprint(workers), "--partner-center-qps", fmt.Sprint(qps),
		// Unpaced, as measured in bench/results/export-n5000.md: the bench measures the
		// export's own cost; "documented" pacing would make it ~17 minutes of waiting.
		"--partner-center-group-limits=", "--progress=false")
	export.Stderr = os.Stderr
	started := time.Now()
	summary, err := export.Output()
	elapsed := time.Since(started)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	after, err := calls(base)
	if err != nil {
		return err
	}
	maxRSS := export.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	cpu := export.ProcessState.UserTime() + export.ProcessState.SystemTime()
	files, bytes, err := tree(dir)
	if err != nil {
		return err
	}
	return report(out, n, latency, workers, qps, strings.TrimSpace(string(summary)), elapsed, cpu, maxRSS, before, after, files, bytes)
}

// waitUp waits until the simulator answers.
func waitUp(base string) error {
	for range 100 {
		resp, err := http.Get(base + "/sim/clock")
		if err == nil {
			_ = resp.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the simulator at %s never answered", base)
}

// writeTokens writes the simulator's tokens as the credentials Secret's keys.
func writeTokens(base, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for kind, key := range map[string]string{"app-only": "appOnlyToken", "app-user": "appUserToken"} {
		var tok struct{ Token string }
		if err := getJSON(base+"/sim/tokens/"+kind, &tok); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, key), []byte(tok.Token), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// calls reads the simulator's per-operation call counters.
func calls(base string) (map[string]int, error) {
	counts := map[string]int{}
	return counts, getJSON(base+"/sim/calls", &counts)
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	return json.NewDecoder(bufio.NewReader(resp.Body)).Decode(v)
}

// tree counts the files and bytes written.
func tree(dir string) (files int, size int64, err error) {
	err = filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files++
			size += info.Size()
		}
		return err
	})
	return files, size, err
}

// report writes bench/results/export-n<N>.md.
func report(out string, n int, latency time.Duration, workers int, qps float64, summary string, elapsed, cpu time.Duration, maxRSSKiB int64,
	before, after map[string]int, files int, size int64) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### export-n%d: `manager export` of %d customers (%s)\n\n", n, n, time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "Machine: %d cores, %s. Simulator as its own process, latency %s per call; export `--workers=%d --partner-center-qps=%g --partner-center-group-limits=`.\n", runtime.NumCPU(), runtime.Version(), latency, workers, qps)
	fmt.Fprintf(&b, "Book: %d customers, %d subscriptions, %d resellers, every 3rd MCA attested (the others signed directly). Program: `hack/exportbench`.\n\n", n, 3*n, max(n/100, 1))
	fmt.Fprintf(&b, "Export's own summary: %s\n\n", summary)
	total := 0
	var ops []string
	for op, c := range after {
		if d := c - before[op]; d > 0 {
			total += d
			ops = append(ops, op)
		}
	}
	sort.Strings(ops)
	b.WriteString("| figure | value |\n| --- | ---: |\n")
	fmt.Fprintf(&b, "| wall time | %.1f s |\n", elapsed.Seconds())
	fmt.Fprintf(&b, "| customers per second | %.0f |\n", float64(n)/elapsed.Seconds())
	fmt.Fprintf(&b, "| export process CPU (user + system) | %.1f s |\n", cpu.Seconds())
	fmt.Fprintf(&b, "| export process peak RSS | %.1f MiB |\n", float64(maxRSSKiB)/1024)
	fmt.Fprintf(&b, "| Partner Center calls | %d (%.2f per customer) |\n", total, float64(total)/float64(n))
	for _, op := range ops {
		fmt.Fprintf(&b, "| calls: %s | %d |\n", op, after[op]-before[op])
	}
	fmt.Fprintf(&b, "| files written | %d (%.1f MiB) |\n", files, float64(size)/(1<<20))
	fmt.Fprintf(&b, "\nAt Partner Center's documented 500 requests per minute for customer and order resources, the same %d calls take at least %.0f minutes against the real service; the export honours Retry-After and resumes where it stopped.\n", total, float64(total)/500)
	path := filepath.Join(out, fmt.Sprintf("export-n%d.md", n))
	fmt.Println(b.String())
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
