package changefeed

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// fixedLog answers every poll with the same records and keeps the start asked for.
type fixedLog struct {
	records []wire.AuditRecord
	starts  []time.Time
}

func (l *fixedLog) ListAllAuditRecords(_ context.Context, opts partnercenter.ListAuditRecordsOptions) ([]wire.AuditRecord, error) {
	l.starts = append(l.starts, opts.Start)
	return l.records, nil
}

const ownApp = "operator-app"

func TestPollWakesWhatARecordNamesOnce(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	builder := fake.NewClientBuilder().WithScheme(scheme).WithObjects(
		&v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "edited"}, Status: v1alpha1.CustomerStatus{CustomerID: "c1"}},
		&v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "other"}, Status: v1alpha1.CustomerStatus{CustomerID: "c2"}},
		&v1alpha1.Subscription{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "seats"}, Status: v1alpha1.SubscriptionStatus{CustomerID: "c2", SubscriptionID: "s1"}},
		&v1alpha1.Subscription{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "more-seats"}, Status: v1alpha1.SubscriptionStatus{CustomerID: "c2", SubscriptionID: "s2"}},
	)
	for _, idx := range indexes {
		builder = builder.WithIndex(idx.obj, idx.field, idx.of)
	}
	start := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	at := func(minutes int) time.Time { return start.Add(time.Duration(minutes) * time.Minute) }
	log := &fixedLog{records: []wire.AuditRecord{
		{ID: "portal-billing", CustomerID: "c1", ResourceType: wire.AuditResourceCustomer, ApplicationID: "Partner Center Web", OperationStatus: wire.AuditStatusSucceeded, OperationDate: at(3)},
		{ID: "own-billing", CustomerID: "c2", ResourceType: wire.AuditResourceCustomer, ApplicationID: ownApp, OperationStatus: wire.AuditStatusSucceeded, OperationDate: at(2)},
		{ID: "failed", CustomerID: "c2", ResourceType: wire.AuditResourceCustomer, ApplicationID: "other-tool", OperationStatus: "failed", OperationDate: at(2)},
		{ID: "order", CustomerID: "c2", ResourceType: wire.AuditResourceOrder, ApplicationID: "other-tool", OperationStatus: wire.AuditStatusSucceeded, OperationDate: at(2)},
		{ID: "portal-seats", CustomerID: "c2", ResourceType: wire.AuditResourceSubscription, ApplicationID: "Partner Center Web", OperationStatus: wire.AuditStatusSucceeded, OperationDate: at(1),
			CustomizedData: []wire.KeyValuePair{{Key: wire.AuditKeySubscriptionID, Value: "s1"}}},
	}}
	f := &Feed{opts: Options{Records: log, OwnApplicationID: ownApp}, reader: builder.Build(), since: start, seen: map[string]time.Time{},
		customers: make(chan event.GenericEvent, 10), subscriptions: make(chan event.GenericEvent, 10)}

	if err := f.Poll(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := drain(f.customers); len(got) != 1 || got[0] != "edited" {
		t.Errorf("Customers woken %v, want [edited] (an own write, a failed operation and an order wake none)", got)
	}
	if got := drain(f.subscriptions); len(got) != 1 || got[0] != "seats" {
		t.Errorf("Subscriptions woken %v, want [seats]", got)
	}

	if err := f.Poll(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := append(drain(f.customers), drain(f.subscriptions)...); len(got) != 0 {
		t.Errorf("the overlapping poll woke %v again", got)
	}
	if want := at(3).Add(-overlap); !log.starts[1].Equal(want) {
		t.Errorf("second poll started at %v, want the newest record less the overlap (%v)", log.starts[1], want)
	}
}

// drain is the names of the objects sent on events so far.
func drain(events chan event.GenericEvent) []string {
	var names []string
	for {
		select {
		case e := <-events:
			names = append(names, e.Object.(client.Object).GetName())
		default:
			return names
		}
	}
}

func TestCountersExistAtZero(t *testing.T) {
	for _, c := range []struct {
		vec    *prometheus.CounterVec
		labels []string
	}{
		{polls, []string{resultSucceeded, resultFailed}},
		{recordsSeen, []string{outcomeWoke, outcomeOwn, outcomeFailed, outcomeUnmatched}},
	} {
		if n := testutil.CollectAndCount(c.vec); n < len(c.labels) {
			t.Errorf("%d series before any poll, want at least %d (%v)", n, len(c.labels), c.labels)
		}
	}
}
