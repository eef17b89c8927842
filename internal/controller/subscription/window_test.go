package subscription_test

import (
	"context"
	"time"

	"github.com/google/uuid"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
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
		Expect(remote(added.Status.SubscriptionID).Status).To(Equal(wire.SubscriptionStatusActive))
	})

	It("S6: after the window a reduction is scheduled for the renewal (reductionsAt: Renewal): status shows it and when; an immediate change deletes it and it is scheduled again; the renewal applies it", func() {
		buyableCustomer(ns, "later")
		s := subscriptionObject(ns, "later", "later", 10)
		subID := orderedNow(s).Status.SubscriptionID
		Expect(sim.Advance(8 * 24 * time.Hour)).To(Succeed())
		wake := func() {
			Expect(sim.Advance(2 * time.Hour)).To(Succeed()) // past the resync period
			update(s, func(s *v1alpha1.Subscription) {
				metav1.SetMetaDataAnnotation(&s.ObjectMeta, "test/wake", rand.String(4))
			})
		}

		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity, s.Spec.ReductionsAt = 6, v1alpha1.ReductionsAtRenewal })
		scheduled := eventually(s, func(s *v1alpha1.Subscription) bool {
			return s.Status.ScheduledNextTerm != nil && s.Status.ScheduledNextTerm.Quantity == 6
		}, "status does not show the scheduled reduction")
		Expect(scheduled.Status.ScheduledNextTerm.EffectiveAt.Equal(scheduled.Status.RenewsAt)).To(BeTrue(), "the scheduled change takes effect at the renewal")
		Expect(remote(subID).Quantity).To(Equal(10), "the reduction was applied at once")
		quiet(s)
		Expect(remote(subID).ScheduledNextTermInstructions.Quantity).To(Equal(6))

		changed := remote(subID)
		changed.Quantity = 11 // an immediate change made in Partner Center deletes the scheduled one
		_, err := env.PC.UpdateSubscription(context.Background(), uuid.NewString(), scheduled.Status.CustomerID, changed)
		Expect(err).NotTo(HaveOccurred())
		Expect(remote(subID).ScheduledNextTermInstructions).To(BeNil())
		wake()
		Eventually(func() *wire.ScheduledNextTermInstructions {
			return remote(subID).ScheduledNextTermInstructions
		}).
			WithTimeout(testenv.EventuallyTimeout).ShouldNot(BeNil(), "the deleted scheduled change was not made again")
		Expect(remote(subID).ScheduledNextTermInstructions.Quantity).To(Equal(6))
		quiet(s) // the pass that scheduled it has ended: the next wake is a pass of its own

		Expect(sim.Advance(31 * 24 * time.Hour)).To(Succeed()) // past the P1M renewal
		wake()
		Eventually(func(g Gomega) {
			g.Expect(remote(subID).Quantity).To(Equal(6), "Partner Center: the renewal did not apply the scheduled reduction")
			got := get(s)
			g.Expect(got.Status.Quantity).To(Equal(int32(6)), "status does not show the renewed quantity")
			g.Expect(got.Status.ScheduledNextTerm).To(BeNil(), "status still shows the applied change as scheduled")
		}).WithTimeout(testenv.EventuallyTimeout).Should(Succeed())
	})
})
