package phase

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

func TestSettledRequeuesGoBehindWaitingOnes(t *testing.T) {
	for _, tc := range []struct {
		name string
		halt *Halt
		err  error
		want int
	}{
		{"a settled object's resync is low priority", nil, nil, handler.LowPriority},
		{"a waiting object's poll is not", WaitFor(status.ReasonPartnerCenterError, time.Time{}, "again"), nil, 0},
		{"nor a throttled one's retry", nil, &partnercenter.ThrottledError{RetryAfter: time.Second}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := testReporter.Finish(&v1alpha1.Customer{}, tc.halt, tc.err, readyOutcome)
			if err != nil {
				t.Fatal(err)
			}
			if res.Priority == nil || *res.Priority != tc.want {
				t.Fatalf("priority %v, want %d", res.Priority, tc.want)
			}
		})
	}
}

func TestOnlyAPassOverAReadyObjectIsADriftCheck(t *testing.T) {
	readyAt := func(observed, generation int64, deleting bool) *v1alpha1.Customer {
		c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Generation: generation}}
		if deleting {
			c.DeletionTimestamp = &metav1.Time{Time: testNow}
		}
		c.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, ObservedGeneration: observed}}
		return c
	}
	for _, tc := range []struct {
		name string
		obj  *v1alpha1.Customer
		want bool
	}{
		{"ready for its generation", readyAt(2, 2, false), true},
		{"a new generation", readyAt(1, 2, false), false},
		{"going away", readyAt(2, 2, true), false},
		{"never ready", &v1alpha1.Customer{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := markDriftCheck(context.Background(), tc.obj)
			if got := ctx != context.Background(); got != tc.want {
				t.Fatalf("marked as drift check: %v, want %v", got, tc.want)
			}
		})
	}
}
