package resellerpartnership_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/resellerpartnership"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

var _ = Describe("ResellerPartnership", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	DescribeTable("R1: checks the MPN ID with the agreement-status call and stalls with Partner Center's reason in words",
		func(fault pcsim.Reseller, reason status.Reason, words string) {
			fault.MPNID = testenv.NewMPNID()
			Expect(sim.RegisterReseller(fault)).To(Succeed())
			before := sim.Calls(wire.OpGetResellerAgreementStatus)
			rp := partnership(ns, "refused", fault.MPNID)
			Expect(k8s.Create(ctx, rp)).To(Succeed())

			got := stalledWith(rp, reason.Name)
			Expect(sim.Calls(wire.OpGetResellerAgreementStatus)).To(BeNumerically(">", before), "the verdict came from Partner Center")
			Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(And(ContainSubstring("R1"), ContainSubstring(fault.MPNID), ContainSubstring(words)))
			Expect(hasCondition(got, v1alpha1.ConditionActive, metav1.ConditionFalse, reason.Name)).To(BeTrue())
			Expect(got.Status.Phase).To(BeEmpty(), "no partnership is requested for a refused reseller")
			Expect(got.Status.EmailDraft).To(BeNil())
			Expect(got.Status.ResellerMPNID).To(BeEmpty(), "the MPN ID is not recorded as verified")
			Expect(eventNotes(got)).To(HaveKeyWithValue("Stalled", ContainSubstring(reason.Name)))
		},
		Entry("invalid or not migrated (2200)", pcsim.Reseller{NotMigrated: true}, resellerpartnership.ReasonMPNIDInvalid, "invalid or has not been migrated"),
		Entry("not a CSP indirect reseller (2204)", pcsim.Reseller{NotCSPReseller: true}, resellerpartnership.ReasonNotIndirectReseller, "not enrolled in CSP as an indirect reseller"),
		Entry("Microsoft Partner Agreement unsigned (2203)", pcsim.Reseller{MPAUnsigned: true}, resellerpartnership.ReasonMPANotSigned, "not signed the Microsoft Partner Agreement"),
	)

	It("R2: publishes the invitation link and an e-mail draft, polls while Requested, then is Active with the reseller's name and tenant ID", func() {
		mpn := testenv.NewMPNID()
		tenant := testenv.RegisterReseller(sim, mpn, "First Up Consultants")
		rp := partnership(ns, "first-up", mpn)
		Expect(k8s.Create(ctx, rp)).To(Succeed())

		requested := inPhase(rp, v1alpha1.PhaseRequested)
		Expect(hasCondition(requested, v1alpha1.ConditionReady, metav1.ConditionFalse, resellerpartnership.ReasonAwaitingAcceptance.Name)).To(BeTrue())
		Expect(hasCondition(requested, v1alpha1.ConditionActive, metav1.ConditionFalse, resellerpartnership.ReasonAwaitingAcceptance.Name)).To(BeTrue())
		Expect(requested.Status.PartnershipRequestURL).To(Equal(sim.ResellerInvitationURL()))
		draft := requested.Status.EmailDraft
		Expect(draft).NotTo(BeNil())
		Expect(draft.To).To(Equal(rp.Spec.ResellerEmail))
		Expect(draft.Subject).To(ContainSubstring(mpn))
		Expect(draft.Body).To(And(ContainSubstring(sim.ResellerInvitationURL()), ContainSubstring(mpn)))
		Eventually(func() map[string]string { return eventNotes(rp) }).Should(HaveKeyWithValue(resellerpartnership.EventPartnershipRequested, ContainSubstring(sim.ResellerInvitationURL())))

		polls := sim.Calls(wire.OpListIndirectResellers)
		Eventually(func() int { return sim.Calls(wire.OpListIndirectResellers) }).Should(BeNumerically(">", polls+1), "the list is polled while Requested")
		Expect(get(rp).Status.Phase).To(Equal(v1alpha1.PhaseRequested), "still Requested: the reseller has not accepted")
		Expect(listed(mpn)).To(BeFalse())

		Expect(sim.AcceptPartnership(mpn)).To(Succeed())
		done := active(rp)
		Expect(done.Status.ResellerName).To(Equal("First Up Consultants"))
		Expect(done.Status.ResellerTenantID).To(Equal(tenant))
		Expect(done.Status.ResellerMPNID).To(Equal(mpn))
		Eventually(func() map[string]string { return eventNotes(rp) }).Should(HaveKeyWithValue(resellerpartnership.EventActive, ContainSubstring(tenant)))
	})

	It("R3/R5: an Active partnership exposes the reseller MPN ID, tenant ID and name Subscriptions use, and only once Active", func() {
		mpn := testenv.NewMPNID()
		tenant := testenv.RegisterReseller(sim, mpn, "Northwind Resale")
		rp := partnership(ns, "northwind", mpn)
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		requested := inPhase(rp, v1alpha1.PhaseRequested)
		Expect(requested.Status.ResellerTenantID).To(BeEmpty(), "nothing a subscription could name before the reseller accepted")
		Expect(requested.Status.ResellerName).To(BeEmpty())

		Expect(sim.AcceptPartnership(mpn)).To(Succeed())
		done := active(rp)
		resellers, err := env.PC.ListIndirectResellers(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(resellers).To(ContainElement(And(
			HaveField("MpnID", done.Status.ResellerMPNID), HaveField("ID", done.Status.ResellerTenantID), HaveField("Name", done.Status.ResellerName))))
		Expect(done.Status.ResellerTenantID).To(Equal(tenant))
		Expect(status.Get(done, v1alpha1.ConditionReady).Message).To(And(ContainSubstring("partner of record"), ContainSubstring(mpn)))
	})

	It("R4: a Customer naming the partnership waits until it is Active, then is created with the reseller's tenant ID as AssociatedPartnerId", func() {
		mpn := testenv.NewMPNID()
		tenant := testenv.RegisterReseller(sim, mpn, "Fabrikam Resale")
		rp := partnership(ns, "fabrikam", mpn)
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		c := customerFor(ns, rp.Name)
		Expect(k8s.Create(ctx, c)).To(Succeed())

		waiting := testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
			return hasCondition(c, v1alpha1.ConditionReady, metav1.ConditionFalse, customer.ReasonResellerPartnershipNotActive.Name)
		}, "the Customer did not wait for the partnership")
		Expect(status.Get(waiting, v1alpha1.ConditionReady).Message).To(ContainSubstring(rp.Name))
		Consistently(func() string { return testenv.Fetch(k8s, c).Status.CustomerID }).WithTimeout(300*time.Millisecond).Should(BeEmpty(),
			"no customer is created before the reseller accepted")

		Expect(sim.AcceptPartnership(mpn)).To(Succeed()) // this controller makes the partnership Active; the Customer watch wakes the Customer
		created := testenv.CreatedCustomer(k8s, c)
		Expect(simCustomer(created.Status.CustomerID).Customer.AssociatedPartnerID).To(Equal(tenant))
		Expect(created.Labels).To(HaveKeyWithValue(v1alpha1.LabelReseller, rp.Name))
	})

	It("R6: a removal without removalConfirmation waits, naming what is missing, and the reseller stays Active", func() {
		rp, _ := activePartnership(ns, "unconfirmed")
		update(rp, func(rp *v1alpha1.ResellerPartnership) { rp.Spec.State = v1alpha1.PartnershipRemoved })

		got := stalledWith(rp, resellerpartnership.ReasonRemovalConfirmationRequired.Name)
		confirmation := status.Get(got, v1alpha1.ConditionRemovalConfirmed)
		Expect(confirmation).NotTo(BeNil())
		Expect(confirmation.Status).To(Equal(metav1.ConditionFalse))
		Expect(confirmation.Message).To(And(ContainSubstring("spec.removalConfirmation"), ContainSubstring("R6")))
		Expect(got.Status.Phase).To(Equal(v1alpha1.PhaseActive), "nothing proceeds without the confirmation")
		Expect(got.Finalizers).To(ContainElement(v1alpha1.Finalizer))

		update(rp, func(rp *v1alpha1.ResellerPartnership) { rp.Spec.State = v1alpha1.PartnershipActive })
		back := active(rp)
		Expect(status.Get(back, v1alpha1.ConditionRemovalConfirmed)).To(BeNil(), "taking the request back clears it")
	})

	It("R6: a confirmed removal shows the portal steps while RemovalPending, ends Removed when the reseller left the list, and never touches its Customers", func() {
		rp, tenant := activePartnership(ns, "leaving")
		c := customerFor(ns, rp.Name)
		Expect(k8s.Create(ctx, c)).To(Succeed())
		testenv.CreatedCustomer(k8s, c)
		before := testenv.Fetch(k8s, c)
		Eventually(func() bool { // let the Customer settle
			before = testenv.Fetch(k8s, c)
			time.Sleep(300 * time.Millisecond)
			return testenv.Fetch(k8s, c).ResourceVersion == before.ResourceVersion
		}).Should(BeTrue())
		remoteBefore := simCustomer(before.Status.CustomerID)
		Expect(remoteBefore.Customer.AssociatedPartnerID).To(Equal(tenant))

		update(rp, func(rp *v1alpha1.ResellerPartnership) {
			rp.Spec.State = v1alpha1.PartnershipRemoved
			rp.Spec.RemovalConfirmation = "ticket CHG-1234 approved by Ana Souza"
		})
		pending := inPhase(rp, v1alpha1.PhaseRemovalPending)
		Expect(hasCondition(pending, v1alpha1.ConditionRemovalConfirmed, metav1.ConditionTrue, resellerpartnership.ReasonRemovalConfirmed.Name)).To(BeTrue())
		Expect(hasCondition(pending, v1alpha1.ConditionReady, metav1.ConditionFalse, resellerpartnership.ReasonRemovalPending.Name)).To(BeTrue())
		Expect(status.Get(pending, v1alpha1.ConditionReady).Message).To(And(
			ContainSubstring("no API"), ContainSubstring("Indirect resellers"), ContainSubstring(rp.Spec.ResellerMPNID), ContainSubstring(pending.Status.ResellerName)))
		Eventually(func() map[string]string { return eventNotes(rp) }).Should(HaveKeyWithValue(resellerpartnership.EventRemovalPending, ContainSubstring("Indirect resellers")))
		Expect(pending.Finalizers).To(ContainElement(v1alpha1.Finalizer))

		Expect(sim.RemovePartnership(rp.Spec.ResellerMPNID)).To(Succeed()) // a person ended it in the portal
		removed := inPhase(rp, v1alpha1.PhaseRemoved)
		Expect(hasCondition(removed, v1alpha1.ConditionActive, metav1.ConditionFalse, resellerpartnership.ReasonRemoved.Name)).To(BeTrue())
		removed = eventually(rp, func(rp *v1alpha1.ResellerPartnership) bool {
			return len(rp.Finalizers) == 0 && hasCondition(rp, v1alpha1.ConditionReady, metav1.ConditionTrue, resellerpartnership.ReasonRemoved.Name)
		}, "the finalizer was not released")

		Consistently(func() *v1alpha1.Customer { return testenv.Fetch(k8s, c) }).WithTimeout(500*time.Millisecond).Should(And(
			HaveField("ResourceVersion", before.ResourceVersion), HaveField("Labels", before.Labels),
			HaveField("Spec", before.Spec), HaveField("Status", before.Status)), "removal changed the Customer")
		remoteAfter := simCustomer(before.Status.CustomerID)
		Expect(remoteAfter.Customer).To(Equal(remoteBefore.Customer), "removal changed the customer in Partner Center")
		Expect(remoteAfter.DefaultGDAP).To(Equal(remoteBefore.DefaultGDAP), "delegated admin access stays as it is")
	})

	It("R6: deleting asks for the removal too; without confirmation it waits, and deletionPolicy Orphan releases it leaving the partnership", func() {
		rp, _ := activePartnership(ns, "deleted")
		Expect(k8s.Delete(ctx, get(rp))).To(Succeed())
		got := stalledWith(rp, resellerpartnership.ReasonRemovalConfirmationRequired.Name)
		Expect(status.Get(got, v1alpha1.ConditionRemovalConfirmed).Message).To(ContainSubstring("deletionPolicy to Orphan"))
		Consistently(gone(rp)).WithTimeout(300*time.Millisecond).Should(BeFalse(), "the finalizer holds the object")

		update(rp, func(rp *v1alpha1.ResellerPartnership) { rp.Spec.DeletionPolicy = v1alpha1.DeletionPolicyOrphan })
		Eventually(gone(rp)).Should(BeTrue())
		Expect(listed(rp.Spec.ResellerMPNID)).To(BeTrue(), "Orphan leaves the partnership as it is")
	})

	It("R6: deleting with a confirmation waits in RemovalPending until the reseller has left the list", func() {
		rp, _ := activePartnership(ns, "confirmed-delete")
		update(rp, func(rp *v1alpha1.ResellerPartnership) { rp.Spec.RemovalConfirmation = "approved" })
		Expect(k8s.Delete(ctx, get(rp))).To(Succeed())
		inPhase(rp, v1alpha1.PhaseRemovalPending)
		Consistently(gone(rp)).WithTimeout(300 * time.Millisecond).Should(BeFalse())

		Expect(sim.RemovePartnership(rp.Spec.ResellerMPNID)).To(Succeed())
		Eventually(gone(rp)).Should(BeTrue())
	})

	It("deleting a partnership the reseller never accepted releases it at once: there is no partnership to remove", func() {
		mpn := testenv.NewMPNID()
		testenv.RegisterReseller(sim, mpn, "Never Accepted")
		rp := partnership(ns, "never", mpn)
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		Expect(inPhase(rp, v1alpha1.PhaseRequested).Finalizers).To(ContainElement(v1alpha1.Finalizer))
		Expect(k8s.Delete(ctx, get(rp))).To(Succeed())
		Eventually(gone(rp)).Should(BeTrue())
	})

	It("R7: Customers created for the reseller carry the partnership label, so they are listed by reseller; the printer columns show the reseller", func() {
		rp, _ := activePartnership(ns, "listed-by")
		resold := customerFor(ns, rp.Name)
		direct := customerFor(ns, rp.Name)
		direct.Spec.IndirectResellerRef = nil
		Expect(k8s.Create(ctx, resold)).To(Succeed())
		Expect(k8s.Create(ctx, direct)).To(Succeed())
		testenv.CreatedCustomer(k8s, resold)
		testenv.CreatedCustomer(k8s, direct)

		var byReseller v1alpha1.CustomerList
		Expect(k8s.List(ctx, &byReseller, client.InNamespace(ns), client.MatchingLabels{v1alpha1.LabelReseller: rp.Name})).To(Succeed())
		Expect(byReseller.Items).To(ConsistOf(HaveField("Name", resold.Name)))

		crd := &unstructured.Unstructured{}
		crd.SetAPIVersion("apiextensions.k8s.io/v1")
		crd.SetKind("CustomResourceDefinition")
		Expect(k8s.Get(ctx, client.ObjectKey{Name: "customers.partnercenter.csp.dev"}, crd)).To(Succeed())
		versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
		Expect(versions).NotTo(BeEmpty())
		Expect(versions[0]).To(HaveKeyWithValue("additionalPrinterColumns", ContainElement(And(
			HaveKeyWithValue("name", "Reseller"), HaveKeyWithValue("jsonPath", ".spec.indirectResellerRef.name")))))
	})

	It("honours the paused annotation: nothing is asked of Partner Center until it is removed", func() {
		mpn := testenv.NewMPNID()
		testenv.RegisterReseller(sim, mpn, "Paused Resale")
		rp := partnership(ns, "paused", mpn)
		rp.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		eventually(rp, func(rp *v1alpha1.ResellerPartnership) bool {
			return hasCondition(rp, v1alpha1.ConditionPaused, metav1.ConditionTrue, status.ReasonPaused.Name)
		}, "never reported Paused")
		Consistently(func() *v1alpha1.ResellerPartnership { return get(rp) }).WithTimeout(300 * time.Millisecond).Should(And(
			HaveField("Status.ResellerMPNID", BeEmpty()), HaveField("Status.Phase", BeEmpty()), HaveField("Finalizers", BeEmpty())))

		update(rp, func(rp *v1alpha1.ResellerPartnership) { delete(rp.Annotations, v1alpha1.AnnotationPaused) })
		resumed := inPhase(rp, v1alpha1.PhaseRequested)
		Expect(status.Get(resumed, v1alpha1.ConditionPaused)).To(BeNil())
		Expect(resumed.Status.ResellerMPNID).To(Equal(mpn))
	})

	It("is a quiet reconciler: a settled partnership reconciled again makes no API-server write and no Partner Center call", Serial, func() {
		rp, _ := activePartnership(ns, "quiet")
		quietOthers(rp)
		Eventually(func() bool { // let the last writes and polls land
			rv, calls := get(rp).ResourceVersion, sim.TotalCalls()
			time.Sleep(300 * time.Millisecond)
			return get(rp).ResourceVersion == rv && sim.TotalCalls() == calls
		}).Should(BeTrue())
		rv := get(rp).ResourceVersion
		reconciles, calls := testenv.QuietReconcileCount(resellerpartnership.ControllerName), sim.TotalCalls()

		update(rp, func(rp *v1alpha1.ResellerPartnership) {
			rp.Annotations = map[string]string{"example.com/touched": "yes"}
		})
		touched := get(rp).ResourceVersion
		Expect(touched).NotTo(Equal(rv))
		Eventually(reconcileCount).Should(BeNumerically(">", reconciles), "the partnership was reconciled again")
		Consistently(func() string { return get(rp).ResourceVersion }).WithTimeout(500 * time.Millisecond).Should(Equal(touched))
		Expect(sim.TotalCalls()).To(Equal(calls), "a settled partnership called Partner Center")
	})
})

// quietOthers pauses every other partnership and deletes every Customer
// (Orphan: nothing happens in Partner Center), so the simulator's counters
// only see keep.
func quietOthers(keep *v1alpha1.ResellerPartnership) {
	ctx := context.Background()
	var partnerships v1alpha1.ResellerPartnershipList
	Expect(k8s.List(ctx, &partnerships)).To(Succeed())
	for i := range partnerships.Items {
		if other := &partnerships.Items[i]; other.UID != keep.UID {
			Expect(client.IgnoreNotFound(updateIfPresent(other, func(rp *v1alpha1.ResellerPartnership) {
				metav1.SetMetaDataAnnotation(&rp.ObjectMeta, v1alpha1.AnnotationPaused, "true")
			}))).To(Succeed())
		}
	}
	var customers v1alpha1.CustomerList
	Expect(k8s.List(ctx, &customers)).To(Succeed())
	for i := range customers.Items {
		Expect(client.IgnoreNotFound(k8s.Delete(ctx, &customers.Items[i]))).To(Succeed())
	}
}

// updateIfPresent applies change to obj, retrying conflicts; NotFound is returned as is.
func updateIfPresent(rp *v1alpha1.ResellerPartnership, change func(*v1alpha1.ResellerPartnership)) error {
	for {
		cur := &v1alpha1.ResellerPartnership{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(rp), cur); err != nil {
			return err
		}
		change(cur)
		err := k8s.Update(context.Background(), cur)
		if !apierrors.IsConflict(err) {
			return err
		}
	}
}

var _ = Describe("ResellerPartnership for an operator that is not an indirect provider", Ordered, func() {
	var direct *testenv.Env
	BeforeAll(func() {
		direct = startEnv(config.RoleDirectBill, nil) // admission only
		DeferCleanup(func() { Expect(direct.Stop()).To(Succeed()) })
	})

	It("R1: refuses a partnership at admission: only an indirect provider partners with indirect resellers", func() {
		err := direct.Client.Create(context.Background(), partnership("default", "by-direct-bill", "4847383"))
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
		Expect(err.Error()).To(And(ContainSubstring("spec.resellerMPNID"), ContainSubstring("R1"), ContainSubstring("IndirectProvider")))
	})
})
