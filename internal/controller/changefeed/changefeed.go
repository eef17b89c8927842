// Package changefeed finds what changed in Partner Center outside the
// operator (portal edits, other tools) from the partner's activity log, one
// partner-wide poll of the audit records per interval, and wakes exactly the
// objects a record names. It replaces per-object polling of settled objects
// (Partner Center's own advice, partner-center-2026.md §6); the full resync
// stays as a long safety net (package safetynet).
//
// What the activity log cannot show (account verification, MCA acceptance,
// partnership acceptance, pending orders) is not its business: the objects
// waiting for those keep their targeted polls.
package changefeed

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// AuditRecords is what the feed reads of Partner Center; *partnercenter.Client implements it.
type AuditRecords interface {
	ListAllAuditRecords(ctx context.Context, opts partnercenter.ListAuditRecordsOptions) ([]wire.AuditRecord, error)
}

// Options configure a Feed.
type Options struct {
	// Records is Partner Center.
	Records AuditRecords
	// Interval is the time between two polls (the feed's delay and its cost: one
	// call per interval, plus one per page of 500 records).
	Interval time.Duration
	// OwnApplicationID is the operator's own Entra application ID. Records of
	// its writes are skipped: the operator already knows what it wrote, and
	// waking the object for it would cost a full pass per write. Empty skips
	// nothing. Another tool sharing the operator's app registration is then
	// invisible to the feed; the safety-net resync still finds what it changed.
	OwnApplicationID string
	// Now is the operator's clock; the first poll starts from its now.
	Now func() time.Time
}

// Feed is the change feed: a leader-elected manager Runnable (Setup adds it)
// and, per kind it wakes, a source for that kind's controller.
type Feed struct {
	opts   Options
	reader client.Reader

	customers, subscriptions chan event.GenericEvent
	// since is where the next poll starts: the newest operation date seen,
	// less overlap.
	since time.Time
	// seen are the records read at or after since, by ID, with their date:
	// polls overlap, and a record is acted on once.
	seen map[string]time.Time
}

// overlap is how far each poll reaches back before the newest record seen:
// a record that reaches the log late, dated before it, is still read. The
// records of the overlap are known by ID and not acted on twice.
const overlap = 2 * time.Minute

// Indexes of the objects by the Partner Center IDs records name.
const (
	customerIDField     = "status.customerID"
	subscriptionIDField = "status.subscriptionID"
)

// indexes are the field indexes the feed lists by.
var indexes = []struct {
	obj   client.Object
	field string
	of    client.IndexerFunc
}{
	{&v1alpha1.Customer{}, customerIDField, func(o client.Object) []string { return nonEmpty(o.(*v1alpha1.Customer).Status.CustomerID) }},
	{&v1alpha1.Subscription{}, customerIDField, func(o client.Object) []string { return nonEmpty(o.(*v1alpha1.Subscription).Status.CustomerID) }},
	{&v1alpha1.Subscription{}, subscriptionIDField, func(o client.Object) []string { return nonEmpty(o.(*v1alpha1.Subscription).Status.SubscriptionID) }},
}

// Setup registers the feed's field indexes and adds it to mgr; the
// controllers then take its sources (Customers, Subscriptions) before the
// manager starts.
func Setup(ctx context.Context, mgr ctrl.Manager, opts Options) (*Feed, error) {
	for _, idx := range indexes {
		if err := mgr.GetFieldIndexer().IndexField(ctx, idx.obj, idx.field, idx.of); err != nil {
			return nil, err
		}
	}
	f := &Feed{opts: opts, reader: mgr.GetCache(), seen: map[string]time.Time{}}
	return f, mgr.Add(f)
}

// nonEmpty is the index value of an ID, none while it is unknown.
func nonEmpty(id string) []string {
	if id == "" {
		return nil
	}
	return []string{id}
}

// Waker makes the handler that enqueues the objects a function names and
// forgets them as settled and what their passes observed, so their pass
// reads Partner Center again: phase.SyncCache.WakeChanged, the one
// wake-and-forget mechanism of the controllers.
type Waker interface {
	WakeChanged(objectsOf func(context.Context, client.Object) []reconcile.Request) handler.EventHandler
}

// Customers is the source of the Customers a record names, for one
// WatchesRawSource of the Customer controller; synced is that controller's
// settled-object cache.
func (f *Feed) Customers(synced Waker) source.Source {
	f.customers = make(chan event.GenericEvent)
	return wakeSource(f.customers, synced)
}

// Subscriptions is Customers for the Subscription controller.
func (f *Feed) Subscriptions(synced Waker) source.Source {
	f.subscriptions = make(chan event.GenericEvent)
	return wakeSource(f.subscriptions, synced)
}

// wakeSource wakes each object sent on events, settled or not, at the
// default priority (a generic event: a change someone made is work a person
// may be waiting for).
func wakeSource(events <-chan event.GenericEvent, synced Waker) source.Source {
	return source.Channel(events, synced.WakeChanged(func(_ context.Context, o client.Object) []reconcile.Request {
		return []reconcile.Request{{NamespacedName: client.ObjectKeyFromObject(o)}}
	}))
}

// NeedLeaderElection is true: one replica reads the log.
func (f *Feed) NeedLeaderElection() bool { return true }

// Start polls every interval until ctx ends (manager.Runnable). A throttled
// poll waits for Retry-After; a failed one is retried at the next interval
// from where the last one ended, so nothing is skipped.
func (f *Feed) Start(ctx context.Context) error {
	f.since = f.opts.Now()
	logger := log.FromContext(ctx).WithName("changefeed")
	for {
		wait := f.opts.Interval
		if err := f.Poll(ctx); err != nil && ctx.Err() == nil {
			polls.WithLabelValues(resultFailed).Inc()
			logger.Error(err, "reading the audit records")
			if after, throttled := partnercenter.IsThrottled(err); throttled {
				wait = max(wait, after)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Poll reads the records since the last poll and wakes the objects they name.
func (f *Feed) Poll(ctx context.Context) error {
	records, err := f.opts.Records.ListAllAuditRecords(ctx, partnercenter.ListAuditRecordsOptions{Start: f.since.Add(-overlap)})
	if err != nil {
		return err
	}
	polls.WithLabelValues(resultSucceeded).Inc()
	newest := f.since
	for _, rec := range records {
		if _, done := f.seen[rec.ID]; done {
			continue
		}
		f.seen[rec.ID] = rec.OperationDate
		newest = maxTime(newest, rec.OperationDate)
		outcome, err := f.act(ctx, rec)
		if err != nil {
			delete(f.seen, rec.ID) // read again next poll
			return err
		}
		recordsSeen.WithLabelValues(outcome).Inc()
	}
	f.since = newest
	for id, at := range f.seen {
		if at.Before(f.since.Add(-overlap)) {
			delete(f.seen, id)
		}
	}
	return nil
}

// Outcomes of a record, for the records metric.
const (
	outcomeWoke      = "woke"
	outcomeOwn       = "own-write"
	outcomeFailed    = "failed-operation"
	outcomeUnmatched = "unmatched"
)

// act wakes the objects rec names.
func (f *Feed) act(ctx context.Context, rec wire.AuditRecord) (string, error) {
	switch {
	case rec.OperationStatus != wire.AuditStatusSucceeded:
		return outcomeFailed, nil // nothing changed (or not yet: its success is a record of its own)
	case f.opts.OwnApplicationID != "" && rec.ApplicationID == f.opts.OwnApplicationID:
		return outcomeOwn, nil
	}
	var woke int
	var err error
	switch rec.ResourceType {
	case wire.AuditResourceSubscription:
		field, value := customerIDField, rec.CustomerID
		if id, ok := rec.Value(wire.AuditKeySubscriptionID); ok && id != "" {
			field, value = subscriptionIDField, id
		}
		woke, err = f.wake(ctx, f.subscriptions, &v1alpha1.SubscriptionList{}, field, value)
	case wire.AuditResourceOrder:
		// An order placed elsewhere buys nothing a Subscription of ours
		// ordered; an order of ours is an own write.
	default:
		// The customer, its relationship, its agreements and what else the
		// log names of a customer: the Customer's pass reads all of it.
		woke, err = f.wake(ctx, f.customers, &v1alpha1.CustomerList{}, customerIDField, rec.CustomerID)
	}
	if err != nil || woke == 0 {
		return outcomeUnmatched, err
	}
	return outcomeWoke, nil
}

// wake sends the objects of list whose field index holds value to events (a
// kind no controller takes from the feed is not listed).
func (f *Feed) wake(ctx context.Context, events chan<- event.GenericEvent, list client.ObjectList, field, value string) (int, error) {
	if events == nil || value == "" {
		return 0, nil
	}
	if err := f.reader.List(ctx, list, client.MatchingFields{field: value}); err != nil {
		return 0, err
	}
	woke := 0
	err := meta.EachListItem(list, func(o runtime.Object) error {
		select {
		case events <- event.GenericEvent{Object: o.(client.Object)}:
			woke++
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	return woke, err
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

var (
	polls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "partnercenter_operator_changefeed_polls_total",
		Help: "Polls of the partner's audit records by the change feed, by result.",
	}, []string{"result"})
	recordsSeen = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "partnercenter_operator_changefeed_records_total",
		Help: "Audit records read by the change feed, by outcome: woke (objects named by it were woken), own-write, failed-operation, unmatched.",
	}, []string{"outcome"})
)

// Poll results, for the polls metric.
const (
	resultSucceeded = "succeeded"
	resultFailed    = "failed"
)

// Every result and outcome exists at zero, so rate() and increase() see the first step.
func init() {
	for _, result := range []string{resultSucceeded, resultFailed} {
		polls.WithLabelValues(result)
	}
	for _, outcome := range []string{outcomeWoke, outcomeOwn, outcomeFailed, outcomeUnmatched} {
		recordsSeen.WithLabelValues(outcome)
	}
}

// Collectors are the feed's metrics, for registration.
func Collectors() []prometheus.Collector { return []prometheus.Collector{polls, recordsSeen} }
