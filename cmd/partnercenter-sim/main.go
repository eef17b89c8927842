// Command partnercenter-sim runs the Partner Center simulator as a standalone HTTP server.
// It prints the base URL and an App+User token; point the operator's client at the URL.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

func main() {
	cfg, listen, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	srv, err := pcsim.Listen(listen, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The token is printed on purpose: it only opens this local simulator.
	fmt.Printf("Partner Center simulator listening on %s\n", srv.URL())
	fmt.Printf("App+User token: %s\n", srv.Sim.IssueToken(pcsim.TokenAppUser))
	fmt.Printf("App-only token: %s\n", srv.Sim.IssueToken(pcsim.TokenAppOnly))
	fmt.Printf("ARM token:      %s\n", srv.Sim.IssueToken(pcsim.TokenARM))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	srv.Close()
}

// parseFlags reads the command line into a simulator Config and the listen address.
func parseFlags(args []string) (pcsim.Config, string, error) {
	var cfg pcsim.Config
	fs := flag.NewFlagSet("partnercenter-sim", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "listen address (host:port)")
	fs.StringVar(&cfg.PartnerTenantID, "partner-tenant-id", pcsim.DefaultPartnerTenantID, "partner tenant id (tokens carry it as tid)")
	fs.DurationVar(&cfg.VerificationDelay, "verification-delay", 30*time.Second, "UnderReview → Allowed delay for new customers (0 = at once)")
	fs.BoolVar(&cfg.ManualVerification, "manual-verification", false, "keep customers UnderReview until approved via the control API")
	fs.DurationVar(&cfg.PartnershipAcceptDelay, "partnership-accept-delay", 10*time.Second, "reseller accepts the partnership this long after its MPN check (negative = only via control API)")
	fs.DurationVar(&cfg.DirectSignDelay, "direct-sign-delay", -1, "customer signs the MCA directly this long after creation (negative = only via control API)")
	fs.DurationVar(&cfg.OrderCompletionDelay, "order-completion-delay", 5*time.Second, "orders stay pending this long")
	fs.Float64Var(&cfg.ThrottleRate, "throttle-rate", 0, "fraction of calls answered 429")
	fs.DurationVar(&cfg.RetryAfter, "retry-after", time.Second, "Retry-After of a 429")
	fs.Float64Var(&cfg.DropAfterWriteRate, "drop-after-write-rate", 0, "fraction of first-time writes performed and then answered by dropping the connection")
	fs.Float64Var(&cfg.ErrorRate, "error-rate", 0, "fraction of calls answered 503 before any side effect")
	fs.DurationVar(&cfg.Latency, "latency", 0, "delay added to every API answer")
	var load pcsim.LoadFlags
	load.Bind(fs, "")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed for ids, throttling and faults")
	fs.BoolVar(&cfg.EnableControlAPI, "control-api", true, "serve the /sim/... control API")
	fs.StringVar(&cfg.ResellerInvitationURL, "reseller-invitation-url", "", "reseller partnership invitation link (default a partner.microsoft.com link)")
	_ = fs.Parse(args) // ExitOnError: a bad flag exits
	err := load.Apply(&cfg)
	return cfg, *listen, err
}
