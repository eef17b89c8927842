package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/cspforge/partnercenter-operator/internal/export"
)

// exportCommand is `manager export`: the partner's book as a directory of
// YAML (see docs/import.md).
func exportCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	pcFlags := partnerCenterFlags(fs)
	var o export.Options
	fs.StringVar(&o.Dir, "out", "", "Directory to write (created; an interrupted export into it resumes).")
	fs.BoolVar(&o.Manage, "manage", false, "Write managementPolicy: Manage (default Observe: applying the output changes nothing in Partner Center).")
	fs.StringVar(&o.Filter.Reseller, "reseller", "", "Only this indirect reseller (MPN ID or name) and its customers.")
	fs.StringVar(&o.Filter.Customer, "customer", "", "Only customers with this ID, or whose company name contains this text.")
	fs.StringVar(&o.Filter.Offer, "offer", "", "Only subscriptions of this offer ID (or prefix), and the customers that have one.")
	fs.IntVar(&o.Workers, "workers", 4, "Customers read at once (the rate limit bounds the calls).")
	progress := fs.Bool("progress", true, "Show a progress bar on stderr.")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.Dir == "" || pcFlags.partnerCenterURL == "" {
		return usageError(stderr, fs, "export needs --out and --partner-center-url")
	}
	pc, _, _, err := partnerCenterClient(pcFlags)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	bar := &progressBar{w: stderr, visible: *progress}
	o.Progress = bar
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	started := time.Now()
	summary, err := export.Run(ctx, pc, o)
	bar.finish()
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "error: %v\nRun the same command again to resume: customers already written are not read again.\n", err)
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "Exported %d customers (%d resumed), %d subscriptions, %d MCA acceptances, %d reseller partnerships to %s in %s.\n",
		summary.Customers, summary.Resumed, summary.Subscriptions, summary.Agreements, summary.Resellers, o.Dir, time.Since(started).Round(time.Millisecond))
	for _, s := range summary.Skipped {
		_, _ = fmt.Fprintln(stdout, "not exported:", s)
	}
	return 0
}

// progressBar shows the export's progress on a terminal: customers done of
// the total, their rate, and the subscriptions written.
type progressBar struct {
	w             io.Writer
	visible       bool
	bar           *progressbar.ProgressBar
	subscriptions int
}

// Start implements export.Progress.
func (p *progressBar) Start(total, alreadyDone int) {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w), progressbar.OptionSetVisibility(p.visible),
		progressbar.OptionSetDescription("customers"), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("customers"), progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond))
	_ = p.bar.Set(alreadyDone)
}

// Customer implements export.Progress (called from the export's workers one at a time).
func (p *progressBar) Customer(subscriptions int) {
	p.subscriptions += subscriptions
	p.bar.Describe(fmt.Sprintf("customers (%d subscriptions)", p.subscriptions))
	_ = p.bar.Add(1)
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_, _ = fmt.Fprintln(p.w)
	}
}
