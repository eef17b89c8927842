package subscription

import (
	"fmt"
	"reflect"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// nextTermOf is the next term the spec asks Partner Center to schedule
// (reductionsAt: Renewal): fewer seats than now, another term or billing
// cycle; nil when the next term is as the current one.
func nextTermOf(spec *v1alpha1.SubscriptionSpec, remote wire.Subscription) *wire.ScheduledNextTermInstructions {
	product := strings.Split(spec.OfferID, ":")
	if spec.ReductionsAt != v1alpha1.ReductionsAtRenewal || len(product) != 3 {
		return nil
	}
	quantity := min(int(spec.Quantity), remote.Quantity)
	term, billing := string(spec.TermDuration), billingCycleOf(spec.BillingCycle)
	if term == "" {
		term = wire.TermP1M
	}
	if quantity == remote.Quantity && term == remote.TermDuration && billing == remote.BillingCycle {
		return nil
	}
	return &wire.ScheduledNextTermInstructions{
		Product:  wire.ScheduledProduct{ProductID: product[0], SkuID: product[1], AvailabilityID: product[2], BillingCycle: billing, TermDuration: term},
		Quantity: quantity,
	}
}

// nextTermChange schedules the next term the spec asks for, or withdraws
// the one scheduled when the spec no longer asks for it. Partner Center
// deletes scheduled changes on any immediate change: the next pass finds
// them gone and schedules them again.
func nextTermChange(spec *v1alpha1.SubscriptionSpec, next *wire.Subscription, remote wire.Subscription) []string {
	want := nextTermOf(spec, remote)
	if reflect.DeepEqual(want, remote.ScheduledNextTermInstructions) || (want == nil && spec.ReductionsAt != v1alpha1.ReductionsAtRenewal) {
		return nil
	}
	next.ScheduledNextTermInstructions = want
	if want == nil {
		return []string{"scheduled next-term change withdrawn"}
	}
	return []string{fmt.Sprintf("from the renewal: %d seats, %s, billed %s", want.Quantity, want.Product.TermDuration, want.Product.BillingCycle)}
}

// scheduledNextTermOf is the scheduled next term as status shows it.
func scheduledNextTermOf(remote *wire.Subscription) *v1alpha1.ScheduledNextTerm {
	in := remote.ScheduledNextTermInstructions
	if in == nil {
		return nil
	}
	out := &v1alpha1.ScheduledNextTerm{Quantity: int32(in.Quantity), TermDuration: in.Product.TermDuration, BillingCycle: in.Product.BillingCycle}
	if at := timeOf(remote.CommitmentEndDate); at != nil {
		out.EffectiveAt = &metav1.Time{Time: at.Time}
	}
	return out
}
