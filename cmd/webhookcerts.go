package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/cert-controller/pkg/rotator"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"

	"github.com/cspforge/partnercenter-operator/internal/config"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

// Webhook certificate modes (--webhook-cert-mode).
const (
	// certModeCertManager serves the certificate mounted into --webhook-cert-dir
	// from a Secret that someone else fills: cert-manager (config/certmanager),
	// a Helm hook or a person. The manager only reads it (and reloads it when
	// the files change).
	certModeCertManager = "cert-manager"
	// certModeSelfManaged makes the manager create and rotate its own CA and
	// serving certificate in a Secret and patch the caBundle of its
	// ValidatingWebhookConfiguration (open-policy-agent/cert-controller), so
	// the operator needs nothing else in the cluster.
	certModeSelfManaged = "self-managed"
)

// serviceAccountNamespaceFile holds the pod's namespace in every pod that
// mounts its service account token.
const serviceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

// webhookCertOptions say where the webhook server's serving certificate
// comes from. The name defaults are the names config/default gives.
type webhookCertOptions struct {
	mode string
	// secret holds the CA and serving certificate in self-managed mode.
	secret string
	// namespace of the Secret and the webhook Service; empty: the pod's own.
	namespace string
	// service is the webhook Service; the certificate is issued for its DNS names.
	service string
	// configuration is the ValidatingWebhookConfiguration whose caBundle is kept current.
	configuration string
}

// bindFlags registers the webhook certificate flags.
func (o *webhookCertOptions) bindFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.mode, "webhook-cert-mode", certModeCertManager, "Where the webhook serving certificate comes from: "+
		"cert-manager (read from --webhook-cert-dir, filled by cert-manager or anyone else) or "+
		"self-managed (the manager creates and rotates a CA and certificate in --webhook-cert-secret and patches the caBundle of --webhook-configuration).")
	fs.StringVar(&o.secret, "webhook-cert-secret", "partnercenter-operator-webhook-server-cert", "Self-managed mode: the Secret holding the CA and serving certificate (must exist; the manager fills it).")
	fs.StringVar(&o.namespace, "webhook-cert-namespace", "", "Self-managed mode: namespace of --webhook-cert-secret and --webhook-service (default: the pod's namespace).")
	fs.StringVar(&o.service, "webhook-service", "partnercenter-operator-webhook-service", "Self-managed mode: the webhook Service the certificate is issued for (<service>.<namespace>.svc).")
	fs.StringVar(&o.configuration, "webhook-configuration", "partnercenter-operator-validating-webhook-configuration", "Self-managed mode: the ValidatingWebhookConfiguration whose caBundle the manager keeps current.")
}

// webhookCertDir is where the webhook server reads tls.crt and tls.key:
// --webhook-cert-dir, or controller-runtime's default when that is empty.
func webhookCertDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return filepath.Join(os.TempDir(), "k8s-webhook-server", "serving-certs")
}

// setupWebhooks serves the validating webhooks of the four kinds with the
// certificate of --webhook-cert-mode, unless --enable-webhooks=false.
func setupWebhooks(mgr ctrl.Manager, f flags, cfg config.Operator) error {
	if !f.enableWebhooks {
		return nil
	}
	register := func() error { return webhookv1alpha1.SetupWebhooksWithManager(mgr, cfg) }
	return setupWebhookServing(mgr, f.webhookCerts, webhookCertDir(f.webhookCertDir), register)
}

// setupWebhookServing registers the admission webhooks (register) once their
// serving certificate exists and adds a readiness check that passes only
// when the webhook server answers TLS. In self-managed mode the certificate
// appears in certDir only after the rotator wrote the Secret and the kubelet
// synced the volume, so registering (which starts the webhook server) waits
// for the rotator.
func setupWebhookServing(mgr ctrl.Manager, o webhookCertOptions, certDir string, register func() error) error {
	certsReady := make(chan struct{})
	switch o.mode {
	case certModeCertManager:
		close(certsReady)
		if err := register(); err != nil {
			return err
		}
	case certModeSelfManaged:
		if err := addCertRotator(mgr, o, certDir, certsReady); err != nil {
			return err
		}
		if err := mgr.Add(&afterCertsReady{ready: certsReady, run: register}); err != nil {
			return err
		}
	default:
		return fmt.Errorf("--webhook-cert-mode %q: want %s or %s", o.mode, certModeCertManager, certModeSelfManaged)
	}
	return mgr.AddReadyzCheck("webhook", webhookServing(mgr, certsReady))
}

// addCertRotator adds cert-controller's rotator: it fills the Secret with a
// CA (10 years) and a serving certificate (1 year, renewed 90 days before
// expiry), injects the CA into the webhook configuration and closes ready
// once the certificate is in certDir and the CA is injected. Every replica
// runs it (no leader election), so a standby replica serves webhooks too.
func addCertRotator(mgr ctrl.Manager, o webhookCertOptions, certDir string, ready chan struct{}) error {
	namespace, err := webhookNamespace(o.namespace)
	if err != nil {
		return err
	}
	return rotator.AddRotator(mgr, &rotator.CertRotator{
		SecretKey:      types.NamespacedName{Namespace: namespace, Name: o.secret},
		CertDir:        certDir,
		CAName:         "partnercenter-operator-ca",
		CAOrganization: "partnercenter-operator",
		DNSName:        fmt.Sprintf("%s.%s.svc", o.service, namespace),
		ExtraDNSNames:  []string{fmt.Sprintf("%s.%s.svc.cluster.local", o.service, namespace)},
		IsReady:        ready,
		Webhooks:       []rotator.WebhookInfo{{Name: o.configuration, Type: rotator.Validating}},
		FieldOwner:     "partnercenter-operator",
	})
}

// webhookNamespace is the flag's namespace, or the pod's own.
func webhookNamespace(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	b, err := os.ReadFile(serviceAccountNamespaceFile)
	if err != nil {
		return "", fmt.Errorf("self-managed webhook certificates: set --webhook-cert-namespace (no pod namespace in %s: %w)", serviceAccountNamespaceFile, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// webhookServing is the readiness check of the webhook server: not ready
// before the certificate exists, then ready once the server answers TLS.
func webhookServing(mgr ctrl.Manager, certsReady <-chan struct{}) healthz.Checker {
	return func(req *http.Request) error {
		select {
		case <-certsReady:
		default:
			return errors.New("webhook serving certificate not issued and mounted yet")
		}
		return mgr.GetWebhookServer().StartedChecker()(req)
	}
}

// afterCertsReady is a manager runnable that runs a setup step once the
// certificates are ready. It runs on every replica, leader or not.
type afterCertsReady struct {
	ready <-chan struct{}
	run   func() error
}

// Start waits for the certificates, then runs the step; the manager stops
// if the step fails.
func (a *afterCertsReady) Start(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case <-a.ready:
		return a.run()
	}
}

// NeedLeaderElection is false: every replica serves webhooks.
func (a *afterCertsReady) NeedLeaderElection() bool { return false }
