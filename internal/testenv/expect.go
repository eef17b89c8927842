package testenv

import (
	"context"
	"strings"
	"time"

	"github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// The helpers below are what every controller suite asserts with; they use
// Gomega's global fail handler, which the suite registers.

// EventuallyTimeout bounds the waits of Eventually: time in Partner Center
// moves on the simulated clock, so nothing real takes long.
var EventuallyTimeout = 20 * time.Second

// NewNamespace creates a namespace for one test and returns its name.
func NewNamespace(c client.Client, prefix string) string {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: prefix + rand.String(8)}}
	gomega.Expect(c.Create(context.Background(), ns)).To(gomega.Succeed())
	return ns.Name
}

// WaitForWebhook waits until the webhook server answers a dry-run create of
// probe (the manager starts it in the background), so the first spec is not
// refused by a closed port.
func WaitForWebhook(c client.Client, probe client.Object) {
	gomega.Eventually(func() bool {
		err := c.Create(context.Background(), probe.DeepCopyObject().(client.Object), client.DryRunAll)
		return err == nil || strings.Contains(err.Error(), "denied the request") // answered either way
	}).WithTimeout(30 * time.Second).WithPolling(100 * time.Millisecond).Should(gomega.BeTrue())
}

// Fetch reads obj again from the API server.
func Fetch[T client.Object](c client.Client, obj T) T {
	out := obj.DeepCopyObject().(T)
	gomega.Expect(c.Get(context.Background(), client.ObjectKeyFromObject(obj), out)).To(gomega.Succeed())
	return out
}

// HasCondition tells whether obj's condition has that status and (if not
// empty) reason.
func HasCondition(obj status.Object, condType string, st metav1.ConditionStatus, reason string) bool {
	cond := status.Get(obj, condType)
	return cond != nil && cond.Status == st && (reason == "" || cond.Reason == reason)
}

// Eventually polls obj until match holds and returns the matching version;
// on timeout the failure shows what was awaited and the last conditions.
func Eventually[T status.Object](c client.Client, obj T, match func(T) bool, what string) T {
	var last T
	gomega.Eventually(func() bool {
		last = Fetch(c, obj)
		return match(last)
	}).WithTimeout(EventuallyTimeout).WithPolling(50*time.Millisecond).Should(gomega.BeTrue(), func() string {
		return what + "; last conditions: " + Conditions(last)
	})
	return last
}

// Conditions renders obj's conditions for failure messages.
func Conditions(obj status.Object) string {
	var out strings.Builder
	for _, cond := range obj.GetCommonStatus().Conditions {
		out.WriteString(" | " + cond.Type + "=" + string(cond.Status) + " " + cond.Reason + ": " + cond.Message)
	}
	return out.String()
}

// EventNotes lists the notes of the events about obj, by reason.
func EventNotes(c client.Client, obj client.Object) map[string]string {
	var list eventsv1.EventList
	gomega.Expect(c.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(gomega.Succeed())
	notes := map[string]string{}
	for _, e := range list.Items {
		if e.Regarding.Name == obj.GetName() {
			notes[e.Reason] += e.Note + "\n"
		}
	}
	return notes
}

// ReconcileCount is how many reconciles the named controller finished in
// this process (controller-runtime's reconcile counter).
func ReconcileCount(controllerName string) float64 {
	return MetricSum("controller_runtime_reconcile_total", "controller", controllerName)
}

// MetricSum sums the counters and gauges of the metric family name in
// controller-runtime's registry whose label has value.
func MetricSum(name, label, value string) float64 {
	families, err := metrics.Registry.Gather()
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	total := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					total += m.GetCounter().GetValue() + m.GetGauge().GetValue()
				}
			}
		}
	}
	return total
}

// QuietReconcileCount waits until the named controller has finished the
// reconciles in flight (earlier tests' deletions, a trailing pass) and
// returns its count, so that what a test changes next is counted alone.
// Each look takes 300 ms, so Gomega's default 1 s would allow only three: a
// busy machine gets quietTimeout.
func QuietReconcileCount(controllerName string) float64 {
	var count float64
	gomega.Eventually(func() bool {
		count = ReconcileCount(controllerName)
		time.Sleep(300 * time.Millisecond)
		return ReconcileCount(controllerName) == count
	}).WithTimeout(quietTimeout).Should(gomega.BeTrue(), "controller %s never stopped reconciling for 300 ms", controllerName)
	return count
}

// quietTimeout bounds QuietReconcileCount's wait.
const quietTimeout = 15 * time.Second

// CustomerObject is a valid new Customer for a test; its domain is unique.
func CustomerObject(ns, name string) *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Contoso Ltd", Domain: name + rand.String(6), Email: "billing@contoso.example",
			Address:        &v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
		},
	}
}
