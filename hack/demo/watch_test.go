package main

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// customerWith is a Customer of generation 2 with the given Ready condition (nil: none).
func customerWith(ready *metav1.Condition) *v1alpha1.Customer {
	c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Name: "c", Generation: 2}}
	if ready != nil {
		c.Status.Conditions = []metav1.Condition{*ready}
	}
	return c
}

func TestReadyRow(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ready     *metav1.Condition
		wantReady string
		wantIs    bool
	}{
		{"no status", nil, "-", false},
		{"ready for this generation", &metav1.Condition{Type: "Ready", Status: "True", Reason: "Ready", ObservedGeneration: 2}, "True", true},
		{"ready for an older generation", &metav1.Condition{Type: "Ready", Status: "True", Reason: "Ready", ObservedGeneration: 1}, "Unknown", false},
		{"not ready", &metav1.Condition{Type: "Ready", Status: "False", Reason: "VerificationUnderReview", ObservedGeneration: 2}, "False", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obj := customerWith(tc.ready)
			if got := readyRow(obj).ready; got != tc.wantReady {
				t.Errorf("readyRow().ready = %q, want %q", got, tc.wantReady)
			}
			if got := isReady(obj); got != tc.wantIs {
				t.Errorf("isReady() = %v, want %v", got, tc.wantIs)
			}
		})
	}
}

func TestAllReadyNeedsEveryExpectedObject(t *testing.T) {
	ready := customerWith(&metav1.Condition{Type: "Ready", Status: "True", ObservedGeneration: 2})
	notReady := customerWith(&metav1.Condition{Type: "Ready", Status: "False", ObservedGeneration: 2})
	a, b := objectRef{"Customer", "a"}, objectRef{"Customer", "b"}
	for _, tc := range []struct {
		name   string
		latest map[objectRef]client.Object
		want   bool
	}{
		{"all ready", map[objectRef]client.Object{a: ready, b: ready}, true},
		{"one not ready", map[objectRef]client.Object{a: ready, b: notReady}, false},
		{"one never seen", map[objectRef]client.Object{a: ready}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &watcher{latest: tc.latest}
			if got := w.allReady([]objectRef{a, b}); got != tc.want {
				t.Errorf("allReady() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDetailsSaysWhatHappened(t *testing.T) {
	c := &v1alpha1.Customer{}
	c.Status.CustomerID, c.Status.VerificationStatus, c.Status.CredentialsSecretName = "id-1", "Allowed", "c-credentials"
	s := &v1alpha1.Subscription{}
	s.Status.SubscriptionID, s.Status.OrderID, s.Status.Quantity = "sub-1", "order-1", 25
	for _, tc := range []struct {
		obj  client.Object
		want string
	}{
		{c, "customer ID id-1, verification Allowed, credentials Secret c-credentials"},
		{s, "subscription sub-1, order order-1, licenses 25"},
	} {
		if got := details(tc.obj); got != tc.want {
			t.Errorf("details(%T) = %q, want %q", tc.obj, got, tc.want)
		}
	}
}
