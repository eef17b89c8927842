// Command manager runs partnercenter-operator: the controllers and admission
// webhooks for Customer, MCAAttestation, ResellerPartnership and Subscription,
// acting for one Partner Center partner account.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	// The image has an empty base (hack/image): Mozilla's CA roots, used when
	// the system has none, let the manager verify Partner Center and Entra ID.
	_ "golang.org/x/crypto/x509roots/fallback"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/logging"
	"github.com/cspforge/partnercenter-operator/internal/metrics"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

var setupLog = ctrl.Log.WithName("setup")

// flags are the manager's command-line options.
type flags struct {
	metricsAddr, probeAddr     string
	leaderElect, secureMetrics bool
	enableHTTP2                bool
	role, partnerDomain        string
	partnerCenterURL, armURL   string
	credentialsDir             string
	workloadIdentity           bool
	resellerInvitationURL      string
	billingAccountName         string
	resync                     time.Duration
	requestsPerSecond          float64
	burst                      int
	webhookCertDir             string
	webhookHost                string
	webhookPort                int
	enableWebhooks             bool
	webhookCerts               webhookCertOptions
	watchNamespaces            string
	simulator                  pcsim.LoadFlags // rate limits and latency of the built-in simulator
	scale                      scaleFlags
}

func parseFlags() flags {
	var f flags
	flag.StringVar(&f.metricsAddr, "metrics-bind-address", "0", "Address of the metrics endpoint (:8443 for HTTPS, :8080 for HTTP, 0 to disable).")
	flag.StringVar(&f.probeAddr, "health-probe-bind-address", ":8081", "Address of the health and readiness probes.")
	flag.BoolVar(&f.leaderElect, "leader-elect", false, "Elect a leader so only one replica reconciles at a time.")
	flag.BoolVar(&f.secureMetrics, "metrics-secure", true, "Serve metrics over HTTPS with authentication and authorization.")
	flag.BoolVar(&f.enableHTTP2, "enable-http2", false, "Allow HTTP/2 for the metrics and webhook servers (off: CVE-2023-44487 mitigation).")
	flag.StringVar(&f.role, "partner-role", string(config.RoleDirectBill), "CSP role of the partner account: DirectBill, IndirectProvider or IndirectReseller.")
	flag.StringVar(&f.partnerDomain, "partner-domain", "", "The partner's own e-mail domain; customer e-mails in it are refused (C4).")
	flag.StringVar(&f.partnerCenterURL, "partner-center-url", "", "Partner Center endpoint, e.g. https://api.partnercenter.microsoft.com. Empty: the built-in simulator (nothing real is created).")
	flag.StringVar(&f.armURL, "arm-url", wire.DefaultARMBaseURL, "Azure Resource Manager endpoint for the Cost Management policy (C11).")
	flag.StringVar(&f.billingAccountName, "billing-account-name", "default", "The partner's Microsoft Partner Agreement billing account name for the Cost Management policy call (C11).")
	flag.StringVar(&f.resellerInvitationURL, "reseller-invitation-url", "", "The provider's personalized indirect-reseller invitation link, copied from the Partner Center portal (R2).")
	flag.DurationVar(&f.resync, "resync-period", defaultResyncPeriod, "How often a settled object is read again from Partner Center to detect drift the change feed did not show (jittered ±20%; stretched to fit --resync-budget-share).")
	flag.StringVar(&f.webhookHost, "webhook-host", "", "Address the webhook server listens on; empty: every interface.")
	flag.IntVar(&f.webhookPort, "webhook-port", webhook.DefaultPort, "Port the webhook server listens on.")
	flag.StringVar(&f.webhookCertDir, "webhook-cert-dir", "", "Directory with the webhook serving certificate (tls.crt, tls.key); empty: controller-runtime's default.")
	flag.BoolVar(&f.enableWebhooks, "enable-webhooks", true, "Serve the validating webhooks (needs a serving certificate; turn off for make run against a cluster without them — the controllers run the same rules).")
	flag.StringVar(&f.watchNamespaces, "watch-namespaces", "", "Comma-separated namespaces whose objects (and Secrets) the operator watches and writes; empty: every namespace. With a list, Roles in those namespaces are enough (docs/deploy.md).")
	f.bindClientFlags(flag.CommandLine)
	f.webhookCerts.bindFlags(flag.CommandLine)
	f.simulator.Bind(flag.CommandLine, "simulator-")
	f.scale.bind(flag.CommandLine)
	opts := zap.Options{Development: false}
	opts.BindFlags(flag.CommandLine)
	flag.Parse()
	ctrl.SetLogger(logging.New(zap.UseFlagOptions(&opts)))
	return f
}

func main() {
	runSubcommand(os.Args[1:])
	if err := run(parseFlags()); err != nil {
		setupLog.Error(err, "manager stopped")
		os.Exit(1)
	}
}

func run(f flags) error {
	role, err := config.ParseRole(f.role)
	if err != nil {
		return err
	}
	if err := liveNeedsPartnerDomain(f); err != nil {
		return err
	}
	mgr, err := newTunedManager(ctrl.GetConfigOrDie(), managerOptions(f))
	if err != nil {
		return fmt.Errorf("building the manager: %w", err)
	}

	pc, backend, creds, err := partnerCenterClient(&f)
	if err != nil {
		return err
	}
	if err := superviseRefreshToken(mgr, creds); err != nil {
		return err
	}
	operator := config.Operator{
		Role: role, PartnerDomain: f.partnerDomain, ResellerInvitationURL: f.resellerInvitationURL, BillingAccountName: f.billingAccountName,
		Backend: backend, ResyncPeriod: f.resync, Clock: clock.RealClock{},
	}
	feed, err := setupScale(mgr, pc, &operator, &f)
	if err != nil {
		return err
	}
	if err := setupControllers(mgr, pc, operator, feed); err != nil {
		return err
	}
	if err := metrics.Register(mgr); err != nil {
		return err
	}
	// The webhooks are registered by setupWebhooks, once their certificate exists.
	if err := setupWebhooks(mgr, f, operator); err != nil {
		return err
	}

	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	setupLog.Info("starting manager", "role", role, "backend", backend)
	return mgr.Start(ctrl.SetupSignalHandler())
}

// managerOptions are the manager's options from the flags.
func managerOptions(f flags) ctrl.Options {
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(v1alpha1.AddToScheme(scheme))

	// HTTP/2 stays off unless asked for (Rapid Reset, CVE-2023-44487).
	var tlsOpts []func(*tls.Config)
	if !f.enableHTTP2 {
		tlsOpts = append(tlsOpts, func(c *tls.Config) { c.NextProtos = []string{"http/1.1"} })
	}
	return ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsOptions(f, tlsOpts),
		Cache:                  cache.Options{DefaultNamespaces: namespaces(f.watchNamespaces)},
		WebhookServer:          webhook.NewServer(webhook.Options{TLSOpts: tlsOpts, CertDir: f.webhookCertDir, Host: f.webhookHost, Port: f.webhookPort}),
		HealthProbeBindAddress: f.probeAddr,
		LeaderElection:         f.leaderElect,
		LeaderElectionID:       "partnercenter-operator.partnercenter.csp.dev",
	}
}

// liveNeedsPartnerDomain refuses to go live without --partner-domain: C4
// (no customer e-mail in the partner's own domain) cannot be checked without
// it, and a forgotten setting must stop the start, not pass silently.
func liveNeedsPartnerDomain(f flags) error {
	if f.partnerCenterURL != "" && strings.TrimSpace(f.partnerDomain) == "" {
		return errors.New("--partner-domain is required with --partner-center-url: give your own e-mail domain (customer e-mails in it are refused, C4)")
	}
	return nil
}

// namespaces is the cache's per-namespace configuration for a
// --watch-namespaces list; nil (every namespace) for an empty one.
func namespaces(list string) map[string]cache.Config {
	var out map[string]cache.Config
	for _, ns := range strings.Split(list, ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			if out == nil {
				out = map[string]cache.Config{}
			}
			out[ns] = cache.Config{}
		}
	}
	return out
}

// metricsOptions serves the metrics endpoint. Served securely, it answers
// only a caller whose bearer token the API server authenticates (TokenReview)
// and who may get /metrics (SubjectAccessReview: the metrics-reader
// ClusterRole): 401 without a valid token, 403 without the role.
func metricsOptions(f flags, tlsOpts []func(*tls.Config)) metricsserver.Options {
	opts := metricsserver.Options{BindAddress: f.metricsAddr, SecureServing: f.secureMetrics, TLSOpts: tlsOpts}
	if f.secureMetrics {
		opts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	return opts
}

// partnerCenterClient builds the one Partner Center client, with the
// credentials of the mounted Secret (nil for the built-in simulator). Secrets
// never reach the log.
func partnerCenterClient(f *flags) (*partnercenter.Client, v1alpha1.Backend, *partnercenter.Credentials, error) {
	if f.partnerCenterURL == "" {
		pc, backend, err := builtInSimulator(f)
		return pc, backend, nil, err
	}
	creds, err := partnerCenterCredentials(f)
	if err != nil {
		return nil, "", nil, err
	}
	reserved, groupLimits, err := f.scale.clientBudget()
	if err != nil {
		return nil, "", nil, err
	}
	pc, err := partnercenter.New(partnercenter.Options{
		BaseURL: f.partnerCenterURL, ARMBaseURL: f.armURL,
		AppOnly: creds.AppOnly, AppUser: creds.AppUser, ARM: creds.ARM,
		RequestsPerSecond: f.requestsPerSecond, Burst: f.burst, AttestationAPIVersion: *attestationAPIVersion,
		ReservedShare: reserved, GroupLimits: groupLimits,
		Transport:  tuningFlags.partnerCenterTransport(),
		Registerer: ctrlmetrics.Registry,
		Logger:     ctrl.Log.WithName("partnercenter"),
	})
	return pc, v1alpha1.BackendPartnerCenter, creds, err
}

// partnerCenterCredentials reads the mounted credentials Secret, or uses the
// pod's workload identity, for which the Secret is optional.
func partnerCenterCredentials(f *flags) (*partnercenter.Credentials, error) {
	data, err := readSecretDir(f.credentialsDir)
	if f.workloadIdentity && errors.Is(err, fs.ErrNotExist) {
		data, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if f.workloadIdentity {
		return partnercenter.WorkloadIdentityCredentials(data, nil)
	}
	return partnercenter.CredentialsFromSecretData(data, nil)
}

// readSecretDir reads a Secret mounted as a volume: one file per key.
func readSecretDir(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the credentials Secret mounted at %s: %w", dir, err)
	}
	data := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || e.Name()[0] == '.' {
			continue // the ..data symlink farm of a projected volume
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		data[e.Name()] = b
	}
	return data, nil
}
