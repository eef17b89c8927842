package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/yaml"
)

// TestMetricsEndpointAuthenticatesAndAuthorizes scrapes the secure metrics
// endpoint as main serves it, against a real API server: no token is
// refused with 401, a forged one with 500, a service account without the shipped
// metrics-reader ClusterRole with 403, and one bound to it gets the metrics.
func TestMetricsEndpointAuthenticatesAndAuthorizes(t *testing.T) {
	g := NewWithT(t)
	restCfg := startAPIServer(t, g)
	cs, err := kubernetes.NewForConfig(restCfg)
	g.Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	// The ClusterRole the manifests ship for scrapers, bound to one of two
	// service accounts.
	reader := &rbacv1.ClusterRole{}
	b, err := os.ReadFile(filepath.Join("..", "config", "rbac", "metrics_reader_role.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(yaml.Unmarshal(b, reader)).To(Succeed())
	_, err = cs.RbacV1().ClusterRoles().Create(ctx, reader, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = cs.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "prometheus-metrics-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: reader.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: "default", Name: "prometheus"}},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	token := func(sa string) string {
		_, err := cs.CoreV1().ServiceAccounts("default").Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		tr, err := cs.CoreV1().ServiceAccounts("default").CreateToken(ctx, sa, &authenticationv1.TokenRequest{}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		return tr.Status.Token
	}
	withRole, withoutRole := token("prometheus"), token("curious-pod")

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(g)))
	mgr, err := ctrl.NewManager(restCfg, ctrl.Options{Metrics: metricsOptions(flags{metricsAddr: addr, secureMetrics: true}, nil)})
	g.Expect(err).NotTo(HaveOccurred())
	startManager(t, ctx, mgr)

	scrape := func(token string) func() int {
		return func() int {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+addr+"/metrics", nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			// The endpoint's certificate is self-signed; what is tested is who may read.
			insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec
			resp, err := insecure.Do(req)
			if err != nil {
				return 0
			}
			_ = resp.Body.Close()
			return resp.StatusCode
		}
	}
	g.Eventually(scrape(withRole), 30*time.Second, 200*time.Millisecond).Should(Equal(http.StatusOK), "a scraper with the metrics-reader role")
	g.Expect(scrape("")()).To(Equal(http.StatusUnauthorized), "no token")
	// controller-runtime answers 500, not 401, when the TokenReview reports an
	// error (an invalid bearer token does): refused all the same.
	g.Expect(scrape("garbage")()).To(Equal(http.StatusInternalServerError), "a token the API server does not know")
	g.Expect(scrape(withoutRole)()).To(Equal(http.StatusForbidden), "a valid token without the metrics-reader role")
}
