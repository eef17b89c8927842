package customer_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// verified waits until the simulator approves the customer and the Customer is Ready.
func approvedAndReady(c *v1alpha1.Customer) *v1alpha1.Customer {
	c = created(c)
	simApprove(c.Status.CustomerID)
	return eventually(c, haveCondition(v1alpha1.ConditionReady, metav1.ConditionTrue, customer.ReasonReady.Name), "the Customer never became Ready")
}

var _ = Describe("Customer lifecycle", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("C10: shows the account status verbatim and is Verified exactly when purchases are allowed", func() {
		c := validCustomer(ns, uniqueDomain("verify"))
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionVerified, metav1.ConditionFalse, customer.ReasonVerificationUnderReview.Name),
			"a new customer was not shown under review")
		Expect(got.Status.VerificationStatus).To(Equal(wire.AccountStatusUnderReview))
		Expect(status.Get(got, v1alpha1.ConditionReconciling).Status).To(Equal(metav1.ConditionTrue))

		simApprove(got.Status.CustomerID)
		got = eventually(c, haveCondition(v1alpha1.ConditionVerified, metav1.ConditionTrue, customer.ReasonVerificationApproved.Name),
			"an approved customer was not Verified")
		Expect(got.Status.VerificationStatus).To(Equal(wire.AccountStatusAllowed))
		Eventually(func() map[string]string { return eventNotes(c) }).Should(HaveKey(customer.EventVerified))
	})

	It("C10: a NotAllowed customer is not Verified and stalls for a person", func() {
		c := validCustomer(ns, uniqueDomain("reject"))
		Expect(k8s.Create(ctx, c)).To(Succeed())
		simReject(created(c).Status.CustomerID)
		got := eventually(c, haveCondition(v1alpha1.ConditionVerified, metav1.ConditionFalse, customer.ReasonVerificationRejected.Name),
			"a rejected customer was not shown as rejected")
		Expect(got.Status.VerificationStatus).To(Equal(wire.AccountStatusNotAllowed))
		eventually(c, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonVerificationRejected.Name), "not stalled")
	})

	It("C10: a billing change is sent with its etag and the customer is verified again", func() {
		c := approvedAndReady(func() *v1alpha1.Customer {
			c := validCustomer(ns, uniqueDomain("rever"))
			Expect(k8s.Create(ctx, c)).To(Succeed())
			return c
		}())
		c.Spec.CompanyName = "Contoso Holdings Ltd"
		c.Spec.Address.AddressLine1 = "2 Microsoft Way"
		Expect(k8s.Update(ctx, c)).To(Succeed())

		got := eventually(c, haveCondition(v1alpha1.ConditionVerified, metav1.ConditionFalse, customer.ReasonReverificationInProgress.Name),
			"a billing change did not start re-verification")
		Expect(got.Status.VerificationStatus).To(Equal(wire.AccountStatusUnderReview))
		profile, err := env.PC.GetBillingProfile(ctx, got.Status.CustomerID)
		Expect(err).NotTo(HaveOccurred())
		Expect(profile.CompanyName).To(Equal("Contoso Holdings Ltd"))
		Expect(profile.DefaultAddress.AddressLine1).To(Equal("2 Microsoft Way"))
		Eventually(func() map[string]string { return eventNotes(c) }).Should(HaveKey(customer.EventReverificationStarted))

		simApprove(got.Status.CustomerID)
		eventually(c, haveCondition(v1alpha1.ConditionVerified, metav1.ConditionTrue, customer.ReasonVerificationApproved.Name),
			"re-verification never ended")
	})

	It("C7: builds a relationship with an existing tenant and adopts it, never creating one", func() {
		tenant := simExistingTenant()
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "existing"},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant, DeletionPolicy: v1alpha1.DeletionPolicyDelete},
		}
		creates := simCalls(wire.OpCreateCustomer)
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionCreated, metav1.ConditionFalse, customer.ReasonAwaitingRelationship.Name),
			"the Customer did not wait for the relationship")
		Expect(got.Status.RelationshipRequestURL).To(ContainSubstring("admin.microsoft.com"))

		simAcceptRelationship(tenant)
		got = eventually(c, func(c *v1alpha1.Customer) bool { return c.Status.Adopted }, "the tenant was never adopted")
		Expect(got.Status.CustomerID).To(Equal(tenant))
		Expect(status.Get(got, v1alpha1.ConditionCreated).Reason).To(Equal(customer.ReasonAdopted.Name))
		// An existing tenant has no account status (404/600074): purchases are not blocked.
		got = eventually(c, haveCondition(v1alpha1.ConditionVerified, metav1.ConditionTrue, customer.ReasonNoAccountStatus.Name), "not Verified")
		Expect(got.Status.VerificationStatus).To(BeEmpty())
		Expect(simCalls(wire.OpCreateCustomer)).To(Equal(creates), "the C7 path created a customer")

		Expect(k8s.Delete(ctx, got)).To(Succeed())
		Eventually(func() error { return k8s.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Customer{}) }).Should(MatchError(ContainSubstring("not found")))
		_, err := env.PC.GetCustomer(ctx, tenant)
		Expect(err).NotTo(HaveOccurred(), "an adopted customer was deleted")
	})

	It("C8: requests the Education qualification after creation and tracks its vetting", func() {
		c := validCustomer(ns, uniqueDomain("edu"))
		c.Spec.Segment = v1alpha1.SegmentEducation
		c.Spec.EducationSegment = wire.EducationSegmentK12
		Expect(k8s.Create(ctx, c)).To(Succeed())
		c = created(c)
		simApprove(c.Status.CustomerID)
		got := eventually(c, func(c *v1alpha1.Customer) bool {
			return c.Status.Qualification != nil && c.Status.Qualification.VettingStatus == wire.VettingInReview
		}, "the qualification was not requested")
		Expect(got.Status.Qualification.Qualification).To(Equal(wire.QualificationEducation))
		got = eventually(c, haveCondition(v1alpha1.ConditionReady, metav1.ConditionFalse, customer.ReasonQualificationInReview.Name),
			"the Customer did not wait for the qualification")
		Expect(simRecord(c.Status.CustomerID).Qualifications).To(HaveLen(1), "the qualification was requested more than once")
	})

	It("C8: an approved qualification lets the Customer become Ready; a denied one stalls it with Partner Center's reason", func() {
		approved := validCustomer(ns, uniqueDomain("eduok"))
		approved.Spec.Segment, approved.Spec.EducationSegment = v1alpha1.SegmentEducation, wire.EducationSegmentHigherEducation
		denied := validCustomer(ns, uniqueDomain("edudenied"))
		denied.Spec.Segment, denied.Spec.EducationSegment = v1alpha1.SegmentEducation, wire.EducationSegmentK12
		for _, c := range []*v1alpha1.Customer{approved, denied} {
			Expect(k8s.Create(ctx, c)).To(Succeed())
			c = created(c)
			simApprove(c.Status.CustomerID)
			eventually(c, haveCondition(v1alpha1.ConditionReady, metav1.ConditionFalse, customer.ReasonQualificationInReview.Name), "the Customer did not wait for the qualification")
		}
		approved, denied = get(approved), get(denied)
		Expect(sim.SetQualificationVetting(approved.Status.CustomerID, wire.QualificationEducation, wire.VettingApproved, "")).To(Succeed())
		Expect(sim.SetQualificationVetting(denied.Status.CustomerID, wire.QualificationEducation, wire.VettingDenied, "Not an Education Customer")).To(Succeed())

		got := eventually(approved, haveCondition(v1alpha1.ConditionReady, metav1.ConditionTrue, ""), "an approved qualification did not make the Customer Ready")
		Expect(got.Status.Qualification.VettingStatus).To(Equal(wire.VettingApproved))
		got = eventually(denied, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonQualificationDenied.Name), "a denied qualification did not stall the Customer")
		Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(ContainSubstring("Not an Education Customer"))
	})

	It("C8: requests the Government Community Cloud qualification with the validation code from the spec", func() {
		c := validCustomer(ns, uniqueDomain("gcc"))
		c.Spec.Segment, c.Spec.GovernmentValidationCode = v1alpha1.SegmentGovernment, "482913"
		Expect(k8s.Create(ctx, c)).To(Succeed())
		c = created(c)
		got := eventually(c, func(c *v1alpha1.Customer) bool { return c.Status.Qualification != nil },
			"the Government qualification was not requested")
		Expect(got.Status.Qualification.Qualification).To(Equal(wire.QualificationGovernmentCommunityCloud))
		Expect(simRecord(c.Status.CustomerID).Qualifications).To(ConsistOf(HaveField("Qualification", wire.QualificationGovernmentCommunityCloud)))
	})

	It("C10: refuses to change companyRegistrationID once the customer exists, saying where to change it", func() {
		c := validCustomer(ns, uniqueDomain("regid"))
		c.Spec.CompanyRegistrationID = "12345678000190"
		Expect(k8s.Create(ctx, c)).To(Succeed())
		c = created(c)
		c.Spec.CompanyRegistrationID = "98765432000110"
		err := k8s.Update(ctx, c)
		Expect(err).To(MatchError(ContainSubstring("companyRegistrationID cannot change once the customer exists")))
		Expect(err).To(MatchError(ContainSubstring("Partner Center portal")))
	})

	It("C11: switches on Cost Management through the ARM policy call once the customer exists", func() {
		c := validCustomer(ns, uniqueDomain("cost"))
		c.Spec.CostManagement = true
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, func(c *v1alpha1.Customer) bool { return c.Status.CostManagement == wire.ViewChargesAllowed },
			"Cost Management was not switched on")
		Expect(simCostPolicy(got.Status.CustomerID)).To(Equal(wire.ViewChargesAllowed))

		got.Spec.CostManagement = false
		Expect(k8s.Update(ctx, got)).To(Succeed())
		eventually(c, func(c *v1alpha1.Customer) bool { return c.Status.CostManagement == wire.ViewChargesNotAllowed },
			"Cost Management was not switched off")
		Expect(simCostPolicy(got.Status.CustomerID)).To(Equal(wire.ViewChargesNotAllowed))
	})

	It("M6: AgreementAccepted follows the acceptance the customer's MCAAttestation confirmed in Partner Center, without reading it again", func() {
		c := approvedAndReady(func() *v1alpha1.Customer {
			c := validCustomer(ns, uniqueDomain("mca"))
			Expect(k8s.Create(ctx, c)).To(Succeed())
			return c
		}())
		Expect(c.Status.AgreementStatus).To(Equal(v1alpha1.AgreementNotProvided))
		Expect(status.Get(c, v1alpha1.ConditionAgreementAccepted).Status).To(Equal(metav1.ConditionFalse))

		// The attestation controller is not running here: the test writes what
		// it reports once Partner Center confirmed the acceptance. The simulator
		// is left without the agreement, so a read would say NotProvided: only
		// taking the attestation's confirmation makes the Customer Provided.
		a := attestationFor(c)
		Expect(k8s.Create(ctx, a)).To(Succeed())
		a.Status.AgreementStatus = v1alpha1.AgreementProvided
		a.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionAccepted, Status: metav1.ConditionTrue, Reason: "Accepted", LastTransitionTime: metav1.Now(),
			Message: "Partner Center confirms the customer's acceptance of the Microsoft Customer Agreement."}}
		Expect(k8s.Status().Update(ctx, a)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionAgreementAccepted, metav1.ConditionTrue, customer.ReasonAgreementProvided.Name),
			"the attestation's confirmation was not mirrored")
		Expect(got.Status.AgreementStatus).To(Equal(v1alpha1.AgreementProvided))
	})

	It("R4: waits for an Active ResellerPartnership, then creates the customer for that reseller and labels it (R7)", func() {
		rp := &v1alpha1.ResellerPartnership{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "first-up"},
			Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "4847383", ResellerEmail: "partners@firstup.example"},
		}
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		c := validCustomer(ns, uniqueDomain("resold"))
		c.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: rp.Name}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionReady, metav1.ConditionFalse, customer.ReasonResellerPartnershipNotActive.Name),
			"the Customer did not wait for the partnership")
		Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(ContainSubstring(rp.Name))
		Expect(remoteCustomers(c.Spec.Domain)).To(BeEmpty())

		// What the ResellerPartnership controller writes once the reseller accepted (R2).
		tenant := simActiveReseller(rp.Spec.ResellerMPNID)
		rp.Status.Phase = v1alpha1.PhaseActive
		rp.Status.ResellerTenantID, rp.Status.ResellerMPNID = tenant, rp.Spec.ResellerMPNID
		Expect(k8s.Status().Update(ctx, rp)).To(Succeed())

		got = created(c)
		Expect(got.Labels).To(HaveKeyWithValue(v1alpha1.LabelReseller, rp.Name))
		remote := remoteCustomers(c.Spec.Domain)
		Expect(remote).To(HaveLen(1))
		Expect(remote[0].AssociatedPartnerID).To(Equal(tenant))
	})

	It("keeps kubectl's last-applied-configuration: the manager's cache drops it, the manager's writes never do", func() {
		c := validCustomer(ns, uniqueDomain("applied"))
		const lastApplied = `{"apiVersion":"partnercenter.csp.dev/v1alpha1","kind":"Customer"}`
		c.Annotations = map[string]string{corev1.LastAppliedConfigAnnotation: lastApplied}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := created(c)
		Expect(got.Finalizers).To(ContainElement(v1alpha1.Finalizer), "the create intent was not written")
		Expect(got.Annotations).To(HaveKeyWithValue(corev1.LastAppliedConfigAnnotation, lastApplied))
	})

	It("pauses: Paused=True and no Partner Center writes while the annotation is set", func() {
		c := validCustomer(ns, uniqueDomain("paused"))
		c.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		eventually(c, haveCondition(v1alpha1.ConditionPaused, metav1.ConditionTrue, ""), "Paused was not reported")
		Consistently(func() int { return len(remoteCustomers(c.Spec.Domain)) }).WithTimeout(500 * time.Millisecond).Should(Equal(0))

		got := get(c)
		delete(got.Annotations, v1alpha1.AnnotationPaused)
		Expect(k8s.Update(ctx, got)).To(Succeed())
		got = created(c)
		Expect(status.Get(got, v1alpha1.ConditionPaused)).To(BeNil())
	})

	It("settles: a second reconcile of a settled Customer makes no API-server write and no Partner Center call", Serial, func() {
		c := approvedAndReady(func() *v1alpha1.Customer {
			c := validCustomer(ns, uniqueDomain("quiet"))
			Expect(k8s.Create(ctx, c)).To(Succeed())
			return c
		}())
		// Customers of other specs may still be polling Partner Center; remove them so
		// the simulator's counters only see this one.
		deleteCustomersOutside(ns)
		Expect(c.Status.Backend).To(Equal(env.Deps.Config.Backend))
		Expect(c.Status.ObservedGeneration).To(Equal(c.Generation))
		before := testenv.QuietReconcileCount(customer.ControllerName)
		calls := sim.TotalCalls()

		// Touch an unrelated annotation: the controller sees the object again.
		c.Annotations = map[string]string{"example.com/touched": "yes"}
		Expect(k8s.Update(ctx, c)).To(Succeed())
		touched := get(c).ResourceVersion
		Eventually(reconcileCount).Should(BeNumerically(">", before))
		Consistently(func() string { return get(c).ResourceVersion }).WithTimeout(300 * time.Millisecond).Should(Equal(touched))
		Expect(sim.TotalCalls()).To(Equal(calls), "a settled Customer called Partner Center")
	})

	It("R4: a settled Customer is not woken by a label on its ResellerPartnership, only by a change of its status", Serial, func() {
		rp := &v1alpha1.ResellerPartnership{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "labelled"},
			Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "4847384", ResellerEmail: "partners@labelled.example"},
		}
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		rp.Status.Phase = v1alpha1.PhaseActive
		rp.Status.ResellerTenantID, rp.Status.ResellerMPNID = simActiveReseller(rp.Spec.ResellerMPNID), rp.Spec.ResellerMPNID
		Expect(k8s.Status().Update(ctx, rp)).To(Succeed())
		c := validCustomer(ns, uniqueDomain("labelled"))
		c.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: rp.Name}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		approvedAndReady(c)
		deleteCustomersOutside(ns) // so that only this Customer is reconciled
		before := testenv.QuietReconcileCount(customer.ControllerName)

		Expect(k8s.Get(ctx, client.ObjectKeyFromObject(rp), rp)).To(Succeed())
		rp.Labels = map[string]string{"app.kubernetes.io/instance": "csp-resellers"} // as a GitOps tool sets it
		Expect(k8s.Update(ctx, rp)).To(Succeed())
		Consistently(reconcileCount).WithTimeout(500*time.Millisecond).Should(Equal(before), "a partnership label woke the Customer")

		rp.Status.ResellerName = "Labelled Reseller Ltd"
		Expect(k8s.Status().Update(ctx, rp)).To(Succeed())
		Eventually(reconcileCount).Should(BeNumerically(">", before), "a partnership status change did not wake the Customer")
	})

	Describe("deletion", func() {
		It("Orphan (the default) releases the object and leaves the customer in Partner Center", func() {
			c := validCustomer(ns, uniqueDomain("orphan"))
			Expect(k8s.Create(ctx, c)).To(Succeed())
			c = created(c)
			Expect(k8s.Delete(ctx, c)).To(Succeed())
			Eventually(func() error { return k8s.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Customer{}) }).Should(MatchError(ContainSubstring("not found")))
			Expect(remoteCustomers(c.Spec.Domain)).To(HaveLen(1))
		})

		It("Delete deletes the customer where Partner Center allows it", func() {
			c := validCustomer(ns, uniqueDomain("delete"))
			c.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
			Expect(k8s.Create(ctx, c)).To(Succeed())
			c = created(c)
			Expect(k8s.Delete(ctx, c)).To(Succeed())
			Eventually(func() error { return k8s.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Customer{}) }).Should(MatchError(ContainSubstring("not found")))
			Expect(remoteCustomers(c.Spec.Domain)).To(BeEmpty())
		})

		It("Delete reports Partner Center's refusal and lets a person orphan the customer instead", func() {
			c := validCustomer(ns, uniqueDomain("refused"))
			c.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
			Expect(k8s.Create(ctx, c)).To(Succeed())
			c = created(c)
			injected.arm(faultDeleteRefused, c.Name)
			Expect(k8s.Delete(ctx, c)).To(Succeed())
			got := eventually(c, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonDeleteRefused.Name),
				"the refusal was not reported")
			Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(ContainSubstring("deletionPolicy: Orphan"))

			got.Spec.DeletionPolicy = v1alpha1.DeletionPolicyOrphan
			Expect(k8s.Update(ctx, got)).To(Succeed())
			Eventually(func() error { return k8s.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Customer{}) }).Should(MatchError(ContainSubstring("not found")))
			Expect(remoteCustomers(c.Spec.Domain)).To(HaveLen(1))
		})

		It("never blocks when nothing was created", func() {
			c := validCustomer(ns, uniqueDomain("nothing"))
			c.Spec.Address.AddressLine1 = "UNKNOWN street" // stalls before any create
			c.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
			Expect(k8s.Create(ctx, c)).To(Succeed())
			eventually(c, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonAddressRejected.Name), "not stalled")
			Expect(k8s.Delete(ctx, c)).To(Succeed())
			Eventually(func() error { return k8s.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Customer{}) }).Should(MatchError(ContainSubstring("not found")))
		})
	})
})

// attestationFor is a partner attestation naming the Customer.
func attestationFor(c *v1alpha1.Customer) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Name: c.Name + "-mca"},
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: c.Name},
			Method:      v1alpha1.MethodDirectAcceptance,
		},
	}
}

// deleteCustomersOutside deletes every Customer not in ns and waits until they are gone.
func deleteCustomersOutside(ns string) {
	ctx := context.Background()
	var list v1alpha1.CustomerList
	Expect(k8s.List(ctx, &list)).To(Succeed())
	for i := range list.Items {
		if list.Items[i].Namespace != ns {
			Expect(client.IgnoreNotFound(k8s.Delete(ctx, &list.Items[i]))).To(Succeed())
		}
	}
	Eventually(func() int {
		Expect(k8s.List(ctx, &list)).To(Succeed())
		return len(list.Items)
	}).WithTimeout(20 * time.Second).Should(Equal(1))
}
