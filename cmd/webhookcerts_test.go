package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// TestSelfManagedWebhookCertificates runs the manager's self-managed
// certificate wiring against a real API server: the rotator must fill the
// Secret and the caBundle, /readyz must stay unready until the certificate
// is mounted, and the webhook server must then serve a certificate that the
// injected CA verifies for the Service's DNS name.
func TestSelfManagedWebhookCertificates(t *testing.T) {
	g := NewWithT(t)
	restCfg := startAPIServer(t, g)

	scheme := runtime.NewScheme()
	g.Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	g.Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())
	c, err := client.New(restCfg, client.Options{Scheme: scheme})
	g.Expect(err).NotTo(HaveOccurred())

	opts := webhookCertOptions{mode: certModeSelfManaged, secret: "webhook-server-cert", namespace: "pco-system",
		service: "webhook-service", configuration: "pco-validating-webhook-configuration"}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	createDeployedObjects(ctx, g, c, opts)

	certDir, webhookPort, probeAddr := t.TempDir(), freePort(g), net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(g)))
	mgr, err := ctrl.NewManager(restCfg, ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: probeAddr,
		WebhookServer:          webhook.NewServer(webhook.Options{Host: "127.0.0.1", Port: webhookPort, CertDir: certDir}),
	})
	g.Expect(err).NotTo(HaveOccurred())
	f := flags{enableWebhooks: true, webhookCertDir: certDir, webhookCerts: opts}
	g.Expect(setupWebhooks(mgr, f, config.Operator{Role: config.RoleDirectBill})).To(Succeed())
	startManager(t, ctx, mgr)

	secret := &corev1.Secret{}
	g.Eventually(func(g Gomega) {
		g.Expect(c.Get(ctx, types.NamespacedName{Namespace: opts.namespace, Name: opts.secret}, secret)).To(Succeed())
		g.Expect(secret.Data).To(HaveKey("ca.crt"))
		g.Expect(secret.Data).To(HaveKey("tls.crt"))
		g.Expect(secret.Data).To(HaveKey("tls.key"))
	}, 30*time.Second, 200*time.Millisecond).Should(Succeed(), "the rotator fills the Secret")

	g.Eventually(func(g Gomega) {
		vwc := &admissionv1.ValidatingWebhookConfiguration{}
		g.Expect(c.Get(ctx, types.NamespacedName{Name: opts.configuration}, vwc)).To(Succeed())
		for _, w := range vwc.Webhooks {
			g.Expect(w.ClientConfig.CABundle).To(Equal(secret.Data["ca.crt"]), "caBundle of %s", w.Name)
		}
	}, 30*time.Second, 200*time.Millisecond).Should(Succeed(), "the rotator injects its CA into every webhook")

	readyz := "http://" + probeAddr + "/readyz"
	g.Consistently(httpStatus(readyz), 2*time.Second, 200*time.Millisecond).ShouldNot(Equal(http.StatusOK),
		"not ready while the certificate is not mounted")

	mountSecretFiles(g, secret, certDir) // what the kubelet does with the Secret volume
	g.Eventually(httpStatus(readyz), 90*time.Second, 500*time.Millisecond).Should(Equal(http.StatusOK),
		"ready once the certificate is mounted and the webhook server answers")

	g.Expect(verifyServingCert(webhookPort, secret.Data["ca.crt"], opts.service+"."+opts.namespace+".svc")).To(Succeed())
}

// createDeployedObjects creates what the manifests deploy before the manager
// runs: the namespace, the empty certificate Secret and the webhook
// configuration without a caBundle.
func createDeployedObjects(ctx context.Context, g *WithT, c client.Client, o webhookCertOptions) {
	g.Expect(c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: o.namespace}})).To(Succeed())
	g.Expect(c.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: o.namespace, Name: o.secret}})).To(Succeed())
	vwc := &admissionv1.ValidatingWebhookConfiguration{
		ObjectMeta: metav1.ObjectMeta{Name: o.configuration},
		Webhooks: []admissionv1.ValidatingWebhook{{
			Name: "vcustomer-v1alpha1.partnercenter.csp.dev",
			ClientConfig: admissionv1.WebhookClientConfig{Service: &admissionv1.ServiceReference{
				Namespace: o.namespace, Name: o.service, Path: ptr.To("/validate-partnercenter-csp-dev-v1alpha1-customer"),
			}},
			Rules: []admissionv1.RuleWithOperations{{
				Operations: []admissionv1.OperationType{admissionv1.Create},
				Rule: admissionv1.Rule{APIGroups: []string{v1alpha1.GroupVersion.Group}, APIVersions: []string{"v1alpha1"},
					Resources: []string{"customers"}},
			}},
			SideEffects:             ptr.To(admissionv1.SideEffectClassNone),
			AdmissionReviewVersions: []string{"v1"},
		}},
	}
	g.Expect(c.Create(ctx, vwc)).To(Succeed())
}

// mountSecretFiles writes the Secret's keys as files, like a Secret volume.
func mountSecretFiles(g *WithT, secret *corev1.Secret, dir string) {
	for key, value := range secret.Data {
		g.Expect(os.WriteFile(filepath.Join(dir, key), value, 0o600)).To(Succeed())
	}
}

// httpStatus polls a URL's status code (0 when it cannot be reached).
func httpStatus(url string) func() int {
	return func() int {
		resp, err := http.Get(url) //nolint:gosec // loopback probe address of the test
		if err != nil {
			return 0
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
}

// verifyServingCert dials the webhook server and verifies its certificate
// with the injected CA for the Service DNS name, as the API server does.
func verifyServingCert(port int, caPEM []byte, serverName string) error {
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(bytes.TrimSpace(caPEM)) {
		return os.ErrInvalid
	}
	conn, err := tls.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), &tls.Config{RootCAs: roots, ServerName: serverName, MinVersion: tls.VersionTLS12})
	if err != nil {
		return err
	}
	return conn.Close()
}

// freePort asks the kernel for a free loopback port.
func freePort(g *WithT) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	g.Expect(err).NotTo(HaveOccurred())
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}
