package subscription_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

var _ = Describe("Subscription windows", func() {
	var ns string
	ctx := context.Background()
	inNewNamespace(&ns)

	// tryUpdate applies mutate once and returns the API server's answer.
	tryUpdate := func(s *v1alpha1.Subscription, mutate func(*v1alpha1.Subscription)) error {
		cur := get(s)
		mutate(cur)
		return k8s.Update(ctx, cur)
	}
	// seats waits until Partner Center and status have quantity seats.
	seats := func(s *v1alpha1.Subscription, quantity int32) *v1alpha1.Subscription {
		got := eventually(s, func(s *v1alpha1.Subscription) bool { return s.Status.Quantity == quantity }, "the quantity was not applied")
		Expect(remote(got.Status.SubscriptionID).Quantity).To(Equal(int(quantity)))
		return got
	}

	It("S6: seats are reduced inside the 7-day window; after it a reduction or a cancellation is refused at admission with the date the window closed; seats added mid-term have their own window", func() {
		buyableCustomer(ns, "window")
		s := subscriptionObject(ns, "window", "window", 10)
		bought := orderedNow(s)
		Expect(bought.Status.CancellationAllowedUntil).NotTo(BeNil(), "status shows the end of the cancellation window")
		closes := bought.Status.CancellationAllowedUntil.UTC().Format(time.RFC3339)
		Expect(bought.Status.RefundableSeats).To(HaveLen(1))

		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 8 })
		seats(s, 8)

		Expect(sim.Advance(8 * 24 * time.Hour)).To(Succeed())
		err := tryUpdate(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 6 })
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "a reduction after the window was admitted: %v", err)
		Expect(err.Error()).To(And(ContainSubstring("S6"), ContainSubstring("closed on "+closes), ContainSubstring("renewal on")))
		err = tryUpdate(s, func(s *v1alpha1.Subscription) { s.Spec.State = v1alpha1.SubscriptionSuspended })
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "a cancellation after the window was admitted: %v", err)
		Expect(err.Error()).To(ContainSubstring("closed on " + closes))

		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 11 }) // 3 seats with their own window
		added := eventually(s, func(s *v1alpha1.Subscription) bool {
			return len(s.Status.RefundableSeats) == 1 && s.Status.RefundableSeats[0].Quantity == 3
		},
			"the seats added mid-term do not show their own window")
		Expect(added.Status.RefundableSeats[0].Until.Time).To(BeTemporally(">", bought.Status.CancellationAllowedUntil.Time))
		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 9 })
		seats(s, 9)
		err = tryUpdate(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 7 })
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "a reduction beyond the seats still returnable was admitted: %v", err)
		Expect(remote(added.Status.SubscriptionID).Quantity).To(Equal(9))
		Expect(remote(added.Status.SubscriptionID).Status).To(Equal(partnercenter.SubscriptionStatusActive))
	})
})
