package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/cspforge/partnercenter-operator/internal/logging"
)

// subcommands are the manager binary's commands other than running the
// operator: `manager export ...`, `manager plan ...`. Each returns the exit code.
var subcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"export": exportCommand,
	"plan":   planCommand,
}

// runSubcommand runs the subcommand named by the first argument, if any,
// and exits with its code.
func runSubcommand(args []string) {
	if len(args) == 0 {
		return
	}
	if cmd, ok := subcommands[args[0]]; ok {
		// The client logs through controller-runtime: errors reach stderr, per-call
		// lines stay off, and nothing above logging.MaxVerbosity (request bodies) is written.
		ctrl.SetLogger(logging.New(zap.WriteTo(os.Stderr)))
		os.Exit(cmd(args[1:], os.Stdout, os.Stderr))
	}
}

// partnerCenterFlags registers the flags that reach Partner Center the way
// the manager does (same endpoint, credentials and rate limit) on fs.
func partnerCenterFlags(fs *flag.FlagSet) *flags {
	// A subcommand makes no drift checks: the whole budget is its own, paced
	// per operation group like the manager's.
	f := &flags{scale: scaleFlags{resyncShare: 1}}
	f.scale.bindGroupLimits(fs)
	fs.StringVar(&f.partnerCenterURL, "partner-center-url", "", "Partner Center endpoint, e.g. https://api.partnercenter.microsoft.com, or a simulator's URL (required).")
	fs.StringVar(&f.armURL, "arm-url", "", "Azure Resource Manager endpoint (unused by reads; kept for the same client).")
	f.bindClientFlags(fs)
	return f
}

// bindClientFlags registers the client's credentials and rate-limit flags,
// which the manager and its subcommands (export, plan) share.
func (f *flags) bindClientFlags(fs *flag.FlagSet) {
	fs.BoolVar(&f.workloadIdentity, "workload-identity", false, "Authenticate app-only and ARM calls as the pod's Azure workload identity (federated service account token) instead of a client secret; the credentials Secret becomes optional (its refreshToken still serves App+User calls).")
	fs.StringVar(&f.credentialsDir, "credentials-dir", "/etc/partnercenter/credentials", "Directory of the mounted credentials Secret, one file per key (tenantId, clientId, clientSecret, refreshToken; for a standalone simulator appOnlyToken, appUserToken). See docs/partner-center.md.")
	fs.Float64Var(&f.requestsPerSecond, "partner-center-qps", 5, "Client-side rate limit for Partner Center calls of this partner account (0: unlimited); 429 Retry-After is always honoured.")
	fs.IntVar(&f.burst, "partner-center-burst", 10, "Burst of the client-side rate limit.")
}

// usageError prints a usage problem and returns the usage exit code.
func usageError(stderr io.Writer, fs *flag.FlagSet, format string, args ...any) int {
	_, _ = fmt.Fprintf(stderr, format+"\n", args...)
	fs.SetOutput(stderr)
	fs.Usage()
	return 2
}
