// Package metrics exports the state of this operator's objects as Prometheus
// gauges: how many objects are Ready or Stalled, customers by verification
// and agreement status, subscriptions held by the order gate, partnerships by
// phase. The gauges are computed at scrape time from the manager's informer
// cache, so they cost no Partner Center call, no API server call and no
// reconcile work. The Partner Center client exports its own request metrics
// (partnercenter_requests_total and friends, internal/partnercenter/metrics.go).
package metrics

import (
	"context"
	"slices"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Register adds the state gauges to controller-runtime's registry, which the
// manager serves on its metrics endpoint. They read the manager's cache.
func Register(mgr ctrl.Manager) error {
	return ctrlmetrics.Registry.Register(NewStateCollector(mgr.GetCache(), ctrl.Log.WithName("metrics")))
}

// Label values for states an object has not reported yet.
const (
	// None stands for an empty status field: nothing reported yet, or (for
	// verification) Partner Center has no account status for the customer.
	None = "None"
	// NotCreated is the verification status of a Customer that does not
	// exist in Partner Center yet.
	NotCreated = "NotCreated"
)

// listTimeout bounds one scrape's reads from the cache (a cold informer for
// a kind no controller watches syncs on first use).
const listTimeout = 10 * time.Second

var (
	objectsDesc = prometheus.NewDesc("partnercenter_objects",
		"Objects of this operator by kind and status of their Ready condition (True, False, Unknown).",
		[]string{"kind", "ready"}, nil)
	stalledDesc = prometheus.NewDesc("partnercenter_objects_stalled",
		"Objects that only a person can unblock (Stalled=True), by kind and reason.",
		[]string{"kind", "reason"}, nil)
	customersDesc = prometheus.NewDesc("partnercenter_customers",
		"Customers by account verification status as Partner Center reports it (None: no status, NotCreated: not in Partner Center yet).",
		[]string{"verification_status"}, nil)
	agreementsDesc = prometheus.NewDesc("partnercenter_customers_agreement",
		"Customers by Microsoft Customer Agreement status (Provided, NotProvided, None).",
		[]string{"agreement_status"}, nil)
	ordersBlockedDesc = prometheus.NewDesc("partnercenter_subscriptions_blocked",
		"Subscriptions whose order the order gate holds (OrderBlocked=True), by reason.",
		[]string{"reason"}, nil)
	changesBlockedDesc = prometheus.NewDesc("partnercenter_subscription_changes_blocked",
		"Subscriptions whose changes are held (ChangesBlocked=True), by reason.",
		[]string{"reason"}, nil)
	partnershipsDesc = prometheus.NewDesc("partnercenter_reseller_partnerships",
		"ResellerPartnerships by phase (Requested, Active, RemovalPending, Removed, None).",
		[]string{"phase"}, nil)
)

// Label values always exported (as 0 when no object has them), so alerts and
// dashboards see a zero rather than an absent series.
var (
	readyValues        = []string{"True", "False", "Unknown"}
	verificationValues = []string{"Allowed", "UnderReview", "NotAllowed", "Unknown", "Not Ready", None, NotCreated}
	agreementValues    = []string{v1alpha1.AgreementProvided, v1alpha1.AgreementNotProvided, None}
	orderGateReasons   = []string{v1alpha1.ReasonCustomerNotCreated, v1alpha1.ReasonCustomerNotApproved,
		v1alpha1.ReasonAgreementNotAccepted, v1alpha1.ReasonResellerPartnershipNotActive}
	phaseValues = []string{string(v1alpha1.PhaseRequested), string(v1alpha1.PhaseActive),
		string(v1alpha1.PhaseRemovalPending), string(v1alpha1.PhaseRemoved), None}
)

// source is one kind the collector lists.
type source struct {
	kind    string
	newList func() client.ObjectList
}

var sources = []source{
	{"Customer", func() client.ObjectList { return &v1alpha1.CustomerList{} }},
	{"MCAAttestation", func() client.ObjectList { return &v1alpha1.MCAAttestationList{} }},
	{"ResellerPartnership", func() client.ObjectList { return &v1alpha1.ResellerPartnershipList{} }},
	{"Subscription", func() client.ObjectList { return &v1alpha1.SubscriptionList{} }},
}

// StateCollector is a prometheus.Collector that counts this operator's
// objects by state each time it is scraped.
type StateCollector struct {
	reader client.Reader
	log    logr.Logger
	// listErrors counts failed reads; a kind whose read failed is left out of
	// that scrape rather than failing the whole metrics endpoint.
	listErrors *prometheus.CounterVec
}

// NewStateCollector builds the collector over reader (the manager's cache).
func NewStateCollector(reader client.Reader, log logr.Logger) *StateCollector {
	c := &StateCollector{
		reader: reader,
		log:    log,
		listErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnercenter_state_metrics_errors_total",
			Help: "Failed reads of the cache while computing the partnercenter_* state gauges, by kind.",
		}, []string{"kind"}),
	}
	for _, src := range sources { // at zero before the first failure, so increase() sees it
		c.listErrors.WithLabelValues(src.kind)
	}
	return c
}

// Describe sends the descriptors of every metric the collector exports.
func (c *StateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{objectsDesc, stalledDesc, customersDesc, agreementsDesc, ordersBlockedDesc, changesBlockedDesc, partnershipsDesc} {
		ch <- d
	}
	c.listErrors.Describe(ch)
}

// Collect lists every kind from the cache and sends the gauges.
func (c *StateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	for _, src := range sources {
		objs, err := c.list(ctx, src)
		if err != nil {
			c.listErrors.WithLabelValues(src.kind).Inc()
			c.log.Error(err, "listing objects for the state metrics", "kind", src.kind)
			continue
		}
		collectObjects(ch, src.kind, objs)
		switch src.kind {
		case "Customer":
			collectCustomers(ch, objs)
		case "ResellerPartnership":
			collectPartnerships(ch, objs)
		case "Subscription":
			collectSubscriptions(ch, objs)
		}
	}
	c.listErrors.Collect(ch)
}

// list reads every object of one kind, in every namespace.
func (c *StateCollector) list(ctx context.Context, src source) ([]status.Object, error) {
	list := src.newList()
	if err := c.reader.List(ctx, list); err != nil {
		return nil, err
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, err
	}
	objs := make([]status.Object, 0, len(items))
	for _, item := range items {
		if obj, ok := item.(status.Object); ok {
			objs = append(objs, obj)
		}
	}
	return objs, nil
}

// collectObjects sends the Ready and Stalled counts of one kind.
func collectObjects(ch chan<- prometheus.Metric, kind string, objs []status.Object) {
	ready := newCounts(readyValues)
	stalled := newCounts(nil)
	for _, obj := range objs {
		ready.add(readyStatus(obj))
		if cond := status.Get(obj, v1alpha1.ConditionStalled); cond != nil && cond.Status == metav1.ConditionTrue {
			stalled.add(cond.Reason)
		}
	}
	ready.send(ch, objectsDesc, kind)
	stalled.send(ch, stalledDesc, kind)
}

// readyStatus is the status of the Ready condition; Unknown before the
// operator's first visit.
func readyStatus(obj status.Object) string {
	if cond := status.Get(obj, v1alpha1.ConditionReady); cond != nil {
		return string(cond.Status)
	}
	return "Unknown"
}

// collectCustomers sends customers by verification and agreement status.
func collectCustomers(ch chan<- prometheus.Metric, objs []status.Object) {
	verification := newCounts(verificationValues)
	agreement := newCounts(agreementValues)
	for _, obj := range objs {
		c := obj.(*v1alpha1.Customer)
		if c.Status.CustomerID == "" {
			verification.add(NotCreated)
		} else {
			verification.add(orNone(c.Status.VerificationStatus))
		}
		agreement.add(orNone(c.Status.AgreementStatus))
	}
	verification.send(ch, customersDesc)
	agreement.send(ch, agreementsDesc)
}

// collectPartnerships sends reseller partnerships by phase.
func collectPartnerships(ch chan<- prometheus.Metric, objs []status.Object) {
	phases := newCounts(phaseValues)
	for _, obj := range objs {
		phases.add(orNone(string(obj.(*v1alpha1.ResellerPartnership).Status.Phase)))
	}
	phases.send(ch, partnershipsDesc)
}

// collectSubscriptions sends subscriptions held by the order gate and by the
// change gate, by reason.
func collectSubscriptions(ch chan<- prometheus.Metric, objs []status.Object) {
	orders := newCounts(orderGateReasons)
	changes := newCounts(nil) // the change gate's reasons are the Subscription controller's own
	for _, obj := range objs {
		if cond := status.Get(obj, v1alpha1.ConditionOrderBlocked); cond != nil && cond.Status == metav1.ConditionTrue {
			orders.add(cond.Reason)
		}
		if cond := status.Get(obj, v1alpha1.ConditionChangesBlocked); cond != nil && cond.Status == metav1.ConditionTrue {
			changes.add(cond.Reason)
		}
	}
	orders.send(ch, ordersBlockedDesc)
	changes.send(ch, changesBlockedDesc)
}

// orNone maps an empty status field to None.
func orNone(s string) string {
	if s == "" {
		return None
	}
	return s
}

// counts tallies objects by one label value.
type counts map[string]float64

// newCounts starts every known value at zero.
func newCounts(known []string) counts {
	c := counts{}
	for _, v := range known {
		c[v] = 0
	}
	return c
}

func (c counts) add(value string) { c[value]++ }

// send emits one gauge per value; leading are the label values before it
// (the kind, for per-kind metrics).
func (c counts) send(ch chan<- prometheus.Metric, desc *prometheus.Desc, leading ...string) {
	for value, n := range c {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, n, append(slices.Clone(leading), value)...)
	}
}
