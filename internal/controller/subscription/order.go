package subscription

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// Annotations holding the order intent (S2). They are written, with the
// finalizer, before the order call, so a restart at any point replays the
// same MS-RequestId with the same body and Partner Center answers with the
// original order instead of placing a second one.
const (
	// AnnotationOrderRequestID is the MS-RequestId of the pending or done order call.
	AnnotationOrderRequestID = "partnercenter.csp.dev/order-request-id"
	// AnnotationOrderAttempt counts order attempts; a refused attempt moves
	// to the next one (a new MS-RequestId), as Partner Center asks after any answer.
	AnnotationOrderAttempt = "partnercenter.csp.dev/order-attempt"
	// AnnotationOrderIntent is the order exactly as sent (JSON), so a replay
	// carries the same body even if the spec changed meanwhile (a quantity
	// change then goes to the existing subscription, S3).
	AnnotationOrderIntent = "partnercenter.csp.dev/order-intent"
)

// recentOrder bounds the 800060 look-up: a subscription of the offer created
// this recently, and claimed by no other Subscription, is the order in progress.
const recentOrder = time.Hour

// requestID derives the stable MS-RequestId of one intent of this Subscription.
func requestID(s *v1alpha1.Subscription, intent string) string {
	return phase.RequestID("subscriptions", s, intent)
}

// orderAttempt is the current order attempt number (1 for the first).
func orderAttempt(s *v1alpha1.Subscription) int {
	n, err := strconv.Atoi(s.Annotations[AnnotationOrderAttempt])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// ensureOrdered is S2 and S4: until a subscription is recorded, the order gate
// decides whether an order may be placed; once one is, the order is followed
// until it completes.
func (r *Reconciler) ensureOrdered(ctx context.Context, s *v1alpha1.Subscription, p *pass) (*phase.Halt, error) {
	in := p.in
	if s.Status.SubscriptionID != "" {
		return r.awaitOrder(ctx, s)
	}
	if s.Spec.SubscriptionID != "" {
		return r.adopt(ctx, s, p)
	}
	if reason, message, ok := firstFailing(in); !ok {
		return r.blocked(s, reason, message), nil
	}
	if phase.Observing(s) {
		return phase.ObserveOnly(fmt.Sprintf("the order of %d x %s", s.Spec.Quantity, s.Spec.OfferID)), nil
	}
	status.MarkFalse(s, v1alpha1.ConditionOrderBlocked, ReasonOrderAllowed, "Every check of the order gate passed (S4).")
	if h := phase.StillRefused(s, v1alpha1.ConditionOrdered, ReasonOrderRefused); h != nil {
		return h, nil
	}
	return r.placeOrder(ctx, s, in)
}

// blocked holds the order: OrderBlocked=True with the failing check's reason
// and a message naming what it waits for. No Partner Center call is made.
func (r *Reconciler) blocked(s *v1alpha1.Subscription, reason status.Reason, message string) *phase.Halt {
	since := phase.WaitingSince(s, v1alpha1.ConditionOrdered, r.Config.Now())
	status.MarkTrue(s, v1alpha1.ConditionOrderBlocked, reason, message)
	status.MarkFalse(s, v1alpha1.ConditionOrdered, reason, message)
	return phase.WaitFor(reason, since, "%s", message)
}

// placeOrder sends the persisted order intent (S2) and records its answer.
func (r *Reconciler) placeOrder(ctx context.Context, s *v1alpha1.Subscription, in *orderInputs) (*phase.Halt, error) {
	order, err := r.orderIntent(ctx, s, in)
	if err != nil {
		return nil, err
	}
	customerID := in.customer.Status.CustomerID
	if validation.IsNewCommerce(s.Spec.OfferID) {
		return r.purchaseByCart(ctx, s, customerID, order)
	}
	placed, err := r.External.CreateOrder(ctx, s.Annotations[AnnotationOrderRequestID], customerID, order)
	switch {
	case err == nil:
		return r.recordOrder(s, customerID, placed), nil
	case partnercenter.IsOrderInProgress(err):
		return r.lookUpOrder(ctx, s, customerID)
	}
	return r.orderFailed(ctx, s, err)
}

// orderIntent returns the persisted order of the current attempt, or builds
// one from the spec and persists it (with the finalizer, before the first
// Partner Center write) together with its MS-RequestId.
func (r *Reconciler) orderIntent(ctx context.Context, s *v1alpha1.Subscription, in *orderInputs) (wire.Order, error) {
	var order wire.Order
	if raw := s.Annotations[AnnotationOrderIntent]; raw != "" && s.Annotations[AnnotationOrderRequestID] != "" {
		if err := json.Unmarshal([]byte(raw), &order); err == nil {
			return order, nil
		}
	}
	order = orderOf(s, in.customer.Status.CustomerID, in.reseller)
	raw, err := json.Marshal(order)
	if err != nil {
		return order, err
	}
	attempt := strconv.Itoa(orderAttempt(s))
	err = phase.PatchMetadata(ctx, r.Client, s, func(obj *v1alpha1.Subscription) {
		controllerutil.AddFinalizer(obj, v1alpha1.Finalizer)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationOrderAttempt, attempt)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationOrderRequestID, requestID(obj, "order/"+attempt))
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationOrderIntent, string(raw))
	})
	if err != nil {
		return order, err
	}
	status.MarkFalse(s, v1alpha1.ConditionOrdered, ReasonOrdering, "The order is being placed; a retry replays the same MS-RequestId, so at most one order is placed (S2).")
	return order, nil
}

// orderOf is S1 as an order: one line item with the offer, the quantity, the
// term, and the reseller's MPN ID as partner of record (R3).
func orderOf(s *v1alpha1.Subscription, customerID string, reseller *v1alpha1.ResellerPartnership) wire.Order {
	line := wire.OrderLineItem{
		LineItemNumber: 0, OfferID: s.Spec.OfferID, Quantity: int(s.Spec.Quantity),
		TermDuration: string(s.Spec.TermDuration), FriendlyName: s.Spec.FriendlyName,
	}
	order := wire.Order{ReferenceCustomerID: customerID, BillingCycle: billingCycleOf(s.Spec.BillingCycle)}
	if s.Spec.ResellerRef != nil && reseller != nil {
		line.PartnerIDOnRecord = reseller.Status.ResellerMPNID
		order.PartnerOnRecordAttestationAccepted = true
	}
	order.LineItems = []wire.OrderLineItem{line}
	return order
}

// apiBillingCycles are the API's spellings of the spec's billing cycles.
var apiBillingCycles = map[v1alpha1.BillingCycle]string{
	v1alpha1.BillingMonthly: wire.BillingCycleMonthly, v1alpha1.BillingAnnual: wire.BillingCycleAnnual,
	v1alpha1.BillingTriennial: wire.BillingCycleTriennial, v1alpha1.BillingOneTime: wire.BillingCycleOneTime,
}

// billingCycleOf is the API's spelling of a billing cycle (monthly by default).
func billingCycleOf(c v1alpha1.BillingCycle) string {
	if api, ok := apiBillingCycles[c]; ok {
		return api
	}
	return wire.BillingCycleMonthly
}

// BillingCycleFromAPI is the spec's billing cycle for the API's spelling
// (an export writes what Partner Center holds); "" when the spec has none.
func BillingCycleFromAPI(api string) v1alpha1.BillingCycle {
	for spec, spelled := range apiBillingCycles {
		if spelled == api {
			return spec
		}
	}
	return ""
}

// recordOrder records the order and its subscription, then follows the order.
func (r *Reconciler) recordOrder(s *v1alpha1.Subscription, customerID string, order *wire.Order) *phase.Halt {
	s.Status.CustomerID, s.Status.OrderID = customerID, order.ID
	if len(order.LineItems) > 0 {
		s.Status.SubscriptionID = order.LineItems[0].SubscriptionID
	}
	return r.orderProgress(s, order)
}

// awaitOrder follows a placed order until Partner Center reports it completed.
func (r *Reconciler) awaitOrder(ctx context.Context, s *v1alpha1.Subscription) (*phase.Halt, error) {
	if status.IsTrue(s, v1alpha1.ConditionOrdered) || s.Status.OrderID == "" {
		return nil, nil
	}
	order, err := r.External.GetOrder(ctx, s.Status.CustomerID, s.Status.OrderID)
	if err != nil {
		return nil, err
	}
	return r.orderProgress(s, order), nil
}

// orderProgress marks a completed order Ordered, and waits for a pending one.
func (r *Reconciler) orderProgress(s *v1alpha1.Subscription, order *wire.Order) *phase.Halt {
	if order.Status == wire.OrderStatusCompleted {
		msg := fmt.Sprintf("Order %s completed: subscription %s exists in Partner Center.", s.Status.OrderID, s.Status.SubscriptionID)
		status.MarkTrue(s, v1alpha1.ConditionOrdered, ReasonOrdered, msg)
		r.Event(s, corev1.EventTypeNormal, EventOrdered, "Ordered %d x %s for customer %s (attempt %d): %s",
			s.Spec.Quantity, s.Spec.OfferID, s.Status.CustomerID, orderAttempt(s), msg)
		return nil
	}
	since := phase.WaitingSince(s, v1alpha1.ConditionOrdered, r.Config.Now())
	msg := fmt.Sprintf("Order %s for subscription %s is %s in Partner Center; waiting for it to complete.", s.Status.OrderID, s.Status.SubscriptionID, order.Status)
	status.MarkFalse(s, v1alpha1.ConditionOrdered, ReasonOrderPending, msg)
	return phase.WaitFor(ReasonOrderPending, since, "%s", msg)
}

// orderFailed handles a failed order call. A transport failure keeps the
// intent, so the retry replays the same MS-RequestId. A refusal is an answer:
// the next attempt gets a new MS-RequestId. Partner Center's own gate errors
// hold the order with the gate's reasons (C10, M10); any other refusal waits
// for the spec to change.
func (r *Reconciler) orderFailed(ctx context.Context, s *v1alpha1.Subscription, err error) (*phase.Halt, error) {
	if !phase.IsClientError(err) || partnercenter.IsConflict(err) {
		status.MarkFalse(s, v1alpha1.ConditionOrdered, ReasonOrdering,
			"The order call did not complete; it is retried with the same MS-RequestId, so at most one order is placed (S2).")
		return nil, err
	}
	if perr := r.nextAttempt(ctx, s); perr != nil {
		return nil, perr
	}
	switch {
	case partnercenter.IsCustomerNotApproved(err):
		r.Event(s, corev1.EventTypeWarning, EventOrderBlocked, "Partner Center refused the order: the customer is not approved (%s)", partnercenter.ErrorCode(err))
		return r.blocked(s, ReasonRefusedCustomerNotApproved, fmt.Sprintf("C10: Partner Center refused the order because Customer %q is under review or not approved: %s", s.Spec.CustomerRef.Name, err.Error())), nil
	case partnercenter.IsAgreementMissing(err):
		r.Event(s, corev1.EventTypeWarning, EventOrderBlocked, "Partner Center refused the order: the Microsoft Customer Agreement is not accepted (%s)", partnercenter.ErrorCode(err))
		return r.blocked(s, ReasonRefusedAgreementMissing, fmt.Sprintf("M10: Partner Center refused the order because Customer %q's acceptance of the Microsoft Customer Agreement is not confirmed: %s", s.Spec.CustomerRef.Name, err.Error())), nil
	}
	return r.refused(s, "Partner Center refused the order: "+err.Error()), nil
}

// orderRefused moves to the next attempt after an answer that bought
// nothing and says why; nothing is sent again until the spec changes.
func (r *Reconciler) orderRefused(ctx context.Context, s *v1alpha1.Subscription, why string) (*phase.Halt, error) {
	if err := r.nextAttempt(ctx, s); err != nil {
		return nil, err
	}
	return r.refused(s, why), nil
}

// refused reports a refused purchase (Ordered=False, OrderRefused, event).
func (r *Reconciler) refused(s *v1alpha1.Subscription, why string) *phase.Halt {
	msg := why + " Fix the spec to try again."
	status.MarkFalse(s, v1alpha1.ConditionOrdered, ReasonOrderRefused, msg)
	r.Event(s, corev1.EventTypeWarning, EventRefused, "%s", msg)
	return phase.WaitFor(ReasonOrderRefused, time.Time{}, "%s", msg)
}

// nextAttempt moves to the next order attempt: Partner Center answered, so
// the next call gets a new MS-RequestId (and a fresh intent from the spec).
func (r *Reconciler) nextAttempt(ctx context.Context, s *v1alpha1.Subscription) error {
	next := strconv.Itoa(orderAttempt(s) + 1)
	return phase.PatchMetadata(ctx, r.Client, s, func(obj *v1alpha1.Subscription) {
		delete(obj.Annotations, AnnotationOrderRequestID)
		delete(obj.Annotations, AnnotationOrderIntent)
		delete(obj.Annotations, AnnotationCartID)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationOrderAttempt, next)
	})
}

// lookUpOrder is the answer to 409 800060: an order for this offer is in
// progress, so it is looked up among the customer's subscriptions, never
// resubmitted (S2). Exactly one unclaimed candidate is adopted. Otherwise the
// order in progress is another Subscription's (or unclear): the next attempt,
// with a new MS-RequestId, is made after a growing delay and meets 800060
// again for as long as that order is in progress.
func (r *Reconciler) lookUpOrder(ctx context.Context, s *v1alpha1.Subscription, customerID string) (*phase.Halt, error) {
	candidates, err := r.orderCandidates(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	if len(candidates) != 1 {
		if err := r.nextAttempt(ctx, s); err != nil {
			return nil, err
		}
		msg := fmt.Sprintf("S2: Partner Center reports an order for %s in progress (800060); it is looked up, not resubmitted (%d unclaimed candidate subscriptions; a subscription another Subscription object of this offer ordered but has not recorded yet is never taken).", s.Spec.OfferID, len(candidates))
		status.MarkFalse(s, v1alpha1.ConditionOrdered, ReasonOrderInProgress, msg)
		return phase.WaitFor(ReasonOrderInProgress, phase.WaitingSince(s, v1alpha1.ConditionOrdered, r.Config.Now()), "%s", msg), nil
	}
	found := candidates[0]
	s.Status.CustomerID, s.Status.OrderID, s.Status.SubscriptionID = customerID, found.OrderID, found.ID
	r.Event(s, corev1.EventTypeNormal, EventOrdering, "Order %s for %s was in progress (800060): recorded it instead of ordering again", found.OrderID, s.Spec.OfferID)
	return r.awaitOrder(ctx, s)
}

// orderCandidates lists the customer's subscriptions of this offer that no
// other Subscription object claims and that are pending or were created
// within recentOrder: the order in progress is among them. While another
// Subscription of the same customer and offer has sent an order it has not
// recorded yet, the order in progress may be that one's: there is no
// candidate until it has recorded its subscription (each object owns
// exactly one subscription, whatever the timing).
func (r *Reconciler) orderCandidates(ctx context.Context, s *v1alpha1.Subscription, customerID string) ([]wire.Subscription, error) {
	claims, err := r.otherClaims(ctx, s)
	if err != nil || claims.unrecordedOrders > 0 {
		return nil, err
	}
	subs, err := r.External.ListSubscriptions(ctx, customerID)
	if err != nil {
		return nil, err
	}
	now := r.Config.Now()
	return slices.DeleteFunc(subs, func(sub wire.Subscription) bool {
		created, perr := wire.ParseTime(sub.CreationDate)
		recent := perr == nil && now.Sub(created) <= recentOrder
		return !strings.EqualFold(sub.OfferID, s.Spec.OfferID) || claims.subscriptionIDs[sub.ID] ||
			(sub.Status != wire.SubscriptionStatusPending && !recent)
	}), nil
}

// claims is what the other Subscriptions of the same Customer hold.
type claims struct {
	// subscriptionIDs are the subscriptions they have recorded.
	subscriptionIDs map[string]bool
	// unrecordedOrders counts those of the same offer with an order intent
	// (AnnotationOrderRequestID) but no subscription recorded yet.
	unrecordedOrders int
}

// otherClaims reads the other Subscriptions of the same Customer from the
// API server, not the cache: an order intent persisted just before another
// object's order call must be seen.
func (r *Reconciler) otherClaims(ctx context.Context, s *v1alpha1.Subscription) (claims, error) {
	reader := r.Reader
	if reader == nil {
		reader = r.Client
	}
	var list v1alpha1.SubscriptionList
	out := claims{subscriptionIDs: map[string]bool{}}
	if err := reader.List(ctx, &list, client.InNamespace(s.Namespace)); err != nil {
		return out, err
	}
	for _, other := range list.Items {
		if other.UID == s.UID || other.Spec.CustomerRef.Name != s.Spec.CustomerRef.Name {
			continue
		}
		switch {
		case other.Status.SubscriptionID != "":
			out.subscriptionIDs[other.Status.SubscriptionID] = true
		case other.Annotations[AnnotationOrderRequestID] != "" && strings.EqualFold(other.Spec.OfferID, s.Spec.OfferID):
			out.unrecordedOrders++
		}
	}
	return out, nil
}
