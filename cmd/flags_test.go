package main

import (
	"context"
	"maps"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func TestWatchNamespacesRestrictTheCache(t *testing.T) {
	for _, tc := range []struct {
		flag string
		want []string // nil: every namespace
	}{
		{"", nil},
		{" , ", nil},
		{"customers", []string{"customers"}},
		{"customers, resellers ,", []string{"customers", "resellers"}},
	} {
		got := namespaces(tc.flag)
		if tc.want == nil {
			if got != nil {
				t.Errorf("--watch-namespaces=%q: %v, want every namespace (nil)", tc.flag, got)
			}
			continue
		}
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, tc.want) {
			t.Errorf("--watch-namespaces=%q: %v, want %v", tc.flag, keys, tc.want)
		}
	}
}

func TestLiveNeedsPartnerDomain(t *testing.T) {
	for _, tc := range []struct {
		f    flags
		fail bool
	}{
		{flags{}, false}, // the simulator
		{flags{partnerCenterURL: "https://api.partnercenter.microsoft.com"}, true},
		{flags{partnerCenterURL: "https://api.partnercenter.microsoft.com", partnerDomain: " "}, true},
		{flags{partnerCenterURL: "https://api.partnercenter.microsoft.com", partnerDomain: "contoso-partner.com"}, false},
	} {
		if err := liveNeedsPartnerDomain(tc.f); (err != nil) != tc.fail {
			t.Errorf("%+v: error %v, want failure %v", tc.f, err, tc.fail)
		}
	}
}

// TestWatchNamespacesHideEverythingElse runs a manager built from the flags
// against a real API server: with --watch-namespaces its cache, which every
// controller reads, holds the objects of those namespaces and nothing else.
func TestWatchNamespacesHideEverythingElse(t *testing.T) {
	g := NewWithT(t)
	restCfg := startAPIServer(t, g)
	c, err := client.New(restCfg, client.Options{})
	g.Expect(err).NotTo(HaveOccurred())
	ctx := context.Background()
	for _, ns := range []string{"customers", "elsewhere"} {
		g.Expect(c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})).To(Succeed())
		g.Expect(c.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "probe"}})).To(Succeed())
	}
	mgr, err := ctrl.NewManager(restCfg, managerOptions(flags{metricsAddr: "0", probeAddr: "0", watchNamespaces: "customers"}))
	g.Expect(err).NotTo(HaveOccurred())
	startManager(t, ctx, mgr)
	g.Expect(mgr.GetCache().WaitForCacheSync(ctx)).To(BeTrue())

	seen := &corev1.ConfigMapList{}
	g.Expect(mgr.GetCache().List(ctx, seen)).To(Succeed())
	g.Expect(seen.Items).To(HaveLen(1))
	g.Expect(seen.Items[0].Namespace).To(Equal("customers"))
	g.Expect(mgr.GetCache().Get(ctx, client.ObjectKey{Namespace: "elsewhere", Name: "probe"}, &corev1.ConfigMap{})).NotTo(Succeed())
}
