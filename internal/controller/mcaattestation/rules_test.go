package mcaattestation_test

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/google/uuid"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

var _ = Describe("MCAAttestation", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("M1: confirms acceptance either by partner attestation or by the customer's direct acceptance", func() {
		_, attestedID := existingCustomer(ns, "attested")
		_, directID := existingCustomer(ns, "direct")
		byPartner := partnerAttestation(ns, "by-partner", "attested")
		byCustomer := directAcceptance(ns, "by-customer", "direct")
		Expect(k8s.Create(ctx, byPartner)).To(Succeed())
		Expect(k8s.Create(ctx, byCustomer)).To(Succeed())

		accepted(byPartner)
		Expect(simRecord(attestedID).Agreements).To(HaveLen(1), "a partner attestation records one agreement")

		waitingWith(byCustomer, mcaattestation.ReasonWaitingForDirectAcceptance.Name)
		Expect(sim.CustomerSignsMCA(directID)).To(Succeed())
		accepted(byCustomer)
		Expect(simRecord(directID).Agreements).To(BeEmpty(), "a direct acceptance records no partner attestation")
	})

	It("M3: a dateAgreed in the future is refused at admission, and the attestation carries the person and the date", func() {
		_, id := existingCustomer(ns, "dated")
		future := partnerAttestation(ns, "future", "dated")
		future.Spec.DateAgreed = env.Clock.Now().UTC().Add(48 * time.Hour).Format(time.DateOnly)
		err := k8s.Create(ctx, future)
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
		Expect(err.Error()).To(And(ContainSubstring("spec.dateAgreed"), ContainSubstring("M3"), ContainSubstring("future")))

		noPerson := partnerAttestation(ns, "no-person", "dated")
		noPerson.Spec.AcceptedBy = nil
		Expect(k8s.Create(ctx, noPerson)).To(MatchError(ContainSubstring("M3")))

		a := partnerAttestation(ns, "dated", "dated")
		a.Spec.AcceptedBy.PhoneNumber = ""
		Expect(k8s.Create(ctx, a)).To(Succeed())
		accepted(a)
		recorded := simRecord(id).Agreements
		Expect(recorded).To(HaveLen(1))
		Expect(recorded[0].PrimaryContact).To(Equal(wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@dated.example"}))
		Expect(recorded[0].DateAgreed).To(HavePrefix(a.Spec.DateAgreed))
		Expect(recorded[0].Type).To(Equal(wire.AgreementTypeMCA))
		Expect(get(a).Status.TemplateID).To(Equal(wire.MCATemplateID), "the template is looked up from the agreement metadata")
	})

	It("M4: an attestation applied in the same batch as its Customer waits for the customer and is carried out as soon as it exists", func() {
		a := partnerAttestation(ns, "batch", "batch")
		c := newCustomerObject(ns, "batch")
		Expect(k8s.Create(ctx, a)).To(Succeed()) // applied first: its Customer is not even there yet
		Expect(k8s.Create(ctx, c)).To(Succeed())
		before := sim.Calls(wire.OpCreateAgreement)

		waiting := waitingWith(a, mcaattestation.ReasonWaitingForCustomer.Name)
		Expect(status.Get(waiting, v1alpha1.ConditionAccepted).Reason).To(Equal(mcaattestation.ReasonWaitingForCustomer.Name))
		Consistently(func() int { return sim.Calls(wire.OpCreateAgreement) }).
			WithTimeout(500*time.Millisecond).Should(Equal(before), "nothing is attested before the customer exists")

		id := remoteCustomer()
		giveCustomerID(c, id, c.CredentialsSecretName()) // the Customer watch wakes the attestation
		accepted(a)
		Expect(simRecord(id).Agreements).To(HaveLen(1))
	})

	It("M4: an attestation applied in one batch with a new Customer is carried out once the Customer controller created it", func() {
		c := liveCustomerObject(ns, "together", "together"+rand.String(6))
		a := partnerAttestation(ns, "together", "together")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		Expect(k8s.Create(ctx, c)).To(Succeed())

		done := accepted(a)
		created := &v1alpha1.Customer{}
		Expect(k8s.Get(ctx, client.ObjectKeyFromObject(c), created)).To(Succeed())
		Expect(created.Status.CustomerID).NotTo(BeEmpty())
		Expect(simRecord(created.Status.CustomerID).Agreements).To(HaveLen(1))
		Expect(done.Status.AcceptedAt.Time).NotTo(BeTemporally("<", simRecord(created.Status.CustomerID).CreatedAt.Truncate(time.Second)),
			"the attestation followed the customer's creation")
		Eventually(func() string {
			Expect(k8s.Get(ctx, client.ObjectKeyFromObject(c), created)).To(Succeed())
			return created.Status.AgreementStatus
		}).Should(Equal(v1alpha1.AgreementProvided), "the Customer mirrors the confirmed agreement (M6)")
	})

	It("M5: after a partner attestation the primary contact's notice is due within 30 minutes, announced by an event and sent by then", func() {
		_, id := existingCustomer(ns, "noticed")
		a := partnerAttestation(ns, "noticed", "noticed")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		a = accepted(a)

		Expect(a.Status.NotificationDueBy).NotTo(BeNil())
		Expect(a.Status.NotificationDueBy.Sub(a.Status.AcceptedAt.Time)).To(Equal(30 * time.Minute))
		Eventually(func() string { return eventNotes(a)[mcaattestation.EventAttested] }).
			Should(ContainSubstring("primary contact"))

		Expect(sim.Advance(30 * time.Minute)).To(Succeed())
		notices := noticesFor(id)
		Expect(notices).To(HaveLen(1), "the notice went out within the 30 minutes")
		Expect(notices[0].To).To(Equal(a.Spec.AcceptedBy.Email))
		Expect(notices[0].SentAt).NotTo(BeTemporally(">", a.Status.NotificationDueBy.Time))
	})

	It("M5: no notice follows a direct acceptance", func() {
		_, id := existingCustomer(ns, "quiet")
		a := directAcceptance(ns, "quiet", "quiet")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		waitingWith(a, mcaattestation.ReasonWaitingForDirectAcceptance.Name)
		Expect(sim.CustomerSignsMCA(id)).To(Succeed())
		a = accepted(a)

		Expect(a.Status.NotificationDueBy).To(BeNil())
		Expect(sim.Advance(31 * time.Minute)).To(Succeed())
		Expect(noticesFor(id)).To(BeEmpty())
		Expect(eventNotes(a)).NotTo(HaveKey(mcaattestation.EventAttested))
	})

	It("M6: agreementStatus reads NotProvided until Partner Center confirms an acceptance, whoever made it, then Provided", func() {
		_, id := existingCustomer(ns, "outside")
		a := directAcceptance(ns, "outside", "outside")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		Expect(waitingWith(a, mcaattestation.ReasonWaitingForDirectAcceptance.Name).Status.AgreementStatus).To(Equal(v1alpha1.AgreementNotProvided))

		// A partner user attests in the Partner Center portal, outside the operator.
		attestOutside(id, wire.Contact{FirstName: "Ana", LastName: "Souza", Email: "ana@outside.example"})
		Expect(accepted(a).Status.AgreementStatus).To(Equal(v1alpha1.AgreementProvided))
	})

	It("M7: a direct acceptance publishes the admin-center URL and the credentials Secret name (never the password) and tracks the customer until it accepts", func() {
		c, id := existingCustomer(ns, "invited")
		a := directAcceptance(ns, "invited", "invited")
		before := sim.Calls(wire.OpGetDirectSignedStatus)
		Expect(k8s.Create(ctx, a)).To(Succeed())

		waiting := waitingWith(a, mcaattestation.ReasonWaitingForDirectAcceptance.Name)
		Expect(waiting.Status.InvitationURL).To(Equal("https://admin.microsoft.com/AdminPortal/Home?ref=/BillingAccounts/agreement"))
		Expect(waiting.Status.CredentialsSecretName).To(Equal(c.CredentialsSecretName()))
		Expect(waiting.Status.WaitingSince).NotTo(BeNil())
		Expect(status.Get(waiting, v1alpha1.ConditionReady).Message).To(ContainSubstring(c.CredentialsSecretName()))
		raw, err := json.Marshal(waiting.Status)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).NotTo(ContainSubstring("password\""), "status names the Secret, it never carries credentials")
		Eventually(func() int { return sim.Calls(wire.OpGetDirectSignedStatus) - before }).
			Should(BeNumerically(">=", 2), "the direct-signed status is polled")

		Expect(sim.CustomerSignsMCA(id)).To(Succeed())
		done := accepted(a)
		Expect(done.Status.AgreementStatus).To(Equal(v1alpha1.AgreementProvided))
		Expect(done.Status.AcceptedAt).NotTo(BeNil())
		Expect(simRecord(id).Agreements).To(BeEmpty())
	})

	It("M8: an existing tenant is invited to accept the reseller relationship and the MCA together with one parameterized URL", func() {
		tenant := uuid.NewString()
		Expect(sim.AddExistingTenant(tenant, "Northwind Traders")).To(Succeed())
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "northwind", Annotations: map[string]string{v1alpha1.AnnotationPaused: "true"}},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant},
		}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		a := directAcceptance(ns, "northwind", "northwind")
		Expect(k8s.Create(ctx, a)).To(Succeed())

		relationship, err := env.PC.GetRelationshipRequestURL(ctx)
		Expect(err).NotTo(HaveOccurred())
		waiting := eventually(a, func(a *v1alpha1.MCAAttestation) bool { return a.Status.InvitationURL != "" }, "no invitation URL")
		Expect(waiting.Status.InvitationURL).To(Equal(relationship.URL), "the invitation is known before the customer ID")
		Expect(waiting.Status.InvitationURL).To(ContainSubstring("invType=ResellerRelationship"))
		Expect(status.Get(waitingWith(a, mcaattestation.ReasonWaitingForCustomer.Name), v1alpha1.ConditionReady).Message).
			To(ContainSubstring(relationship.URL))

		// The customer accepts both on the one page; the Customer controller then adopts it.
		Expect(sim.AcceptRelationshipRequest(tenant)).To(Succeed())
		Expect(sim.CustomerSignsMCA(tenant)).To(Succeed())
		giveCustomerID(c, tenant, "")
		Expect(accepted(a).Status.InvitationURL).To(Equal(relationship.URL))
	})

	It("M9: past directAcceptanceTimeout on the simulated clock the object asks for a partner attestation, and switching to one confirms the acceptance", func() {
		_, id := existingCustomer(ns, "cannot")
		Expect(sim.SetCannotSignDirectly(id)).To(Succeed())
		a := directAcceptance(ns, "cannot", "cannot")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		Expect(waitingWith(a, mcaattestation.ReasonWaitingForDirectAcceptance.Name).Spec.DirectAcceptanceTimeout.Duration).
			To(Equal(7*24*time.Hour), "the CRD defaults the bound to 7 days")

		Expect(sim.Advance(6 * 24 * time.Hour)).To(Succeed())
		Consistently(func() bool { return hasCondition(get(a), v1alpha1.ConditionStalled, metav1.ConditionTrue, "") }).
			WithTimeout(600*time.Millisecond).Should(BeFalse(), "within the bound the operator keeps waiting")

		Expect(sim.Advance(24*time.Hour + time.Minute)).To(Succeed())
		stalled := eventually(a, func(a *v1alpha1.MCAAttestation) bool {
			return hasCondition(a, v1alpha1.ConditionStalled, metav1.ConditionTrue, mcaattestation.ReasonPartnerAttestationRequired.Name)
		}, "never asked for a partner attestation")
		Expect(status.Get(stalled, v1alpha1.ConditionReady).Message).To(ContainSubstring("PartnerAttestation"))
		Eventually(func() string { return eventNotes(a)[phase.EventStalled] }).Should(ContainSubstring("PartnerAttestationRequired"))

		switched := get(a)
		switched.Spec.Method = v1alpha1.MethodPartnerAttestation
		switched.Spec.AcceptedBy = &v1alpha1.AcceptingPerson{FirstName: "Tania", LastName: "Carr", Email: "tania@cannot.example"}
		switched.Spec.DateAgreed = today()
		Expect(k8s.Update(ctx, switched)).To(Succeed())
		done := accepted(a)
		Expect(done.Status.InvitationURL).To(BeEmpty())
		Expect(done.Status.NotificationDueBy).NotTo(BeNil())
		Expect(simRecord(id).Agreements).To(HaveLen(1))
	})

	It("M9: an order held for want of the agreement ends the wait for an existing customer at once", func() {
		tenant := remoteCustomer()
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "fabrikam", Annotations: map[string]string{v1alpha1.AnnotationPaused: "true"}},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant},
		}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		giveCustomerID(c, tenant, "")
		a := directAcceptance(ns, "fabrikam", "fabrikam")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		waitingWith(a, mcaattestation.ReasonWaitingForDirectAcceptance.Name)

		// The Subscription controller holds (or Partner Center refused with 13605) an order for it.
		s := &v1alpha1.Subscription{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "fabrikam-m365"},
			Spec:       v1alpha1.SubscriptionSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"}, OfferID: "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", Quantity: 5},
		}
		Expect(k8s.Create(ctx, s)).To(Succeed())
		s.Status.Conditions = []metav1.Condition{{
			Type: v1alpha1.ConditionOrderBlocked, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonAgreementNotAccepted,
			Message: "13605: the customer's MCA acceptance is not confirmed", LastTransitionTime: metav1.Now(),
		}}
		Expect(k8s.Status().Update(ctx, s)).To(Succeed())

		stalled := eventually(a, func(a *v1alpha1.MCAAttestation) bool {
			return hasCondition(a, v1alpha1.ConditionStalled, metav1.ConditionTrue, mcaattestation.ReasonPartnerAttestationRequired.Name)
		}, "the held order did not end the wait")
		Expect(status.Get(stalled, v1alpha1.ConditionReady).Message).To(And(ContainSubstring("fabrikam-m365"), ContainSubstring("PartnerAttestation")))
	})

	It("M10: the Accepted condition the order gate reads is False until Partner Center confirms the acceptance, then True", func() {
		c := newCustomerObject(ns, "gated")
		Expect(k8s.Create(ctx, c)).To(Succeed())
		a := directAcceptance(ns, "gated", "gated")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		waiting := waitingWith(a, mcaattestation.ReasonWaitingForCustomer.Name)
		Expect(hasCondition(waiting, v1alpha1.ConditionAccepted, metav1.ConditionFalse, mcaattestation.ReasonWaitingForCustomer.Name)).To(BeTrue())

		id := remoteCustomer()
		giveCustomerID(c, id, c.CredentialsSecretName())
		waiting = waitingWith(a, mcaattestation.ReasonWaitingForDirectAcceptance.Name)
		Expect(hasCondition(waiting, v1alpha1.ConditionAccepted, metav1.ConditionFalse, mcaattestation.ReasonWaitingForDirectAcceptance.Name)).To(BeTrue())

		Expect(sim.CustomerSignsMCA(id)).To(Succeed())
		done := accepted(a)
		Expect(status.Get(done, v1alpha1.ConditionAccepted).ObservedGeneration).To(Equal(done.Generation))
	})

	It("changing acceptedBy after acceptance is refused: the acceptance is immutable", func() {
		existingCustomer(ns, "fixed")
		a := partnerAttestation(ns, "fixed", "fixed")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		a = accepted(a)

		a.Spec.AcceptedBy.FirstName = "Someone"
		err := k8s.Update(ctx, a)
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
		Expect(err.Error()).To(ContainSubstring("already accepted"))
	})

	It("re-applying, or declaring the same attestation again, never creates a second agreement", func() {
		_, id := existingCustomer(ns, "again")
		a := partnerAttestation(ns, "again", "again")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		accepted(a)
		calls := sim.Calls(wire.OpCreateAgreement)

		Expect(k8s.Delete(ctx, get(a))).To(Succeed())
		Eventually(func() bool {
			return apierrors.IsNotFound(k8s.Get(ctx, client.ObjectKeyFromObject(a), &v1alpha1.MCAAttestation{}))
		}).Should(BeTrue())
		again := partnerAttestation(ns, "again", "again")
		twin := partnerAttestation(ns, "again-twin", "again")
		Expect(k8s.Create(ctx, again)).To(Succeed())
		Expect(k8s.Create(ctx, twin)).To(Succeed())
		Expect(accepted(again).Status.NotificationDueBy).To(BeNil(), "Partner Center answered 600061: no new notice follows")
		Expect(accepted(twin).Status.NotificationDueBy).To(BeNil(), "Partner Center answered 600061: no new notice follows")
		Expect(sim.Calls(wire.OpCreateAgreement)).To(BeNumerically("<=", calls+2), "each object sends its attestation once")
		Expect(simRecord(id).Agreements).To(HaveLen(1))
	})

	It("a partner attestation reads the MCA template once per process, never the direct-signed status, and lists no agreements before it is sent", func() {
		existingCustomer(ns, "first")
		_, secondID := existingCustomer(ns, "second")
		first := partnerAttestation(ns, "first", "first")
		Expect(k8s.Create(ctx, first)).To(Succeed())
		accepted(first)
		metadata := external.metadataReads.Load()

		second := partnerAttestation(ns, "second", "second")
		Expect(k8s.Create(ctx, second)).To(Succeed())
		Expect(accepted(second).Status.TemplateID).To(Equal(wire.MCATemplateID))
		Expect(external.metadataReads.Load()).To(Equal(metadata), "the template ID is one constant per partner account")
		_, read := external.directSignedReads.Load(secondID)
		Expect(read).To(BeFalse(), "the listed attestations confirm a partner attestation")
		_, listed := external.listedBeforeAttesting.Load(secondID)
		Expect(listed).To(BeFalse(), "Partner Center answers an identical attestation with 600061: no list is needed first")
	})

	It("a 600061 answer (identical attestation exists) counts as success", func() {
		_, id := existingCustomer(ns, "dup")
		a := partnerAttestation(ns, "dup", "dup")
		attestOutside(id, wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@dup.example", PhoneNumber: "1234567890"})
		before := sim.Calls(wire.OpCreateAgreement)

		Expect(k8s.Create(ctx, a)).To(Succeed())
		Expect(accepted(a).Status.NotificationDueBy).To(BeNil(), "the notice followed the earlier attestation, not this object's")
		Expect(sim.Calls(wire.OpCreateAgreement)).To(BeNumerically(">", before), "the duplicate answer came from Partner Center")
		Expect(simRecord(id).Agreements).To(HaveLen(1))
	})

	It("persists the MS-RequestId before attesting and replays it, so a lost answer never makes a second agreement", func() {
		_, id := existingCustomer(ns, "lost")
		a := partnerAttestation(ns, "lost", "lost")
		// The first answer is lost after Partner Center recorded the agreement:
		// the controller must send the call again.
		external.loseCreateAnswers.Store(1)
		var persistedFirst sync.Map // MS-RequestId → the annotation held it when the call went out
		external.setBeforeCreate(func(requestID string) {
			cur := &v1alpha1.MCAAttestation{}
			if k8s.Get(ctx, client.ObjectKeyFromObject(a), cur) == nil {
				persistedFirst.Store(requestID, cur.Annotations[mcaattestation.AnnotationAttestRequestID] == requestID)
			}
		})
		DeferCleanup(func() {
			external.loseCreateAnswers.Store(0)
			external.setBeforeCreate(nil)
		})
		sent := len(external.attestRequestIDs())

		Expect(k8s.Create(ctx, a)).To(Succeed())
		a = accepted(a)
		ids := external.attestRequestIDs()[sent:]
		Expect(len(ids)).To(BeNumerically(">=", 2), "the lost answer was followed by a retry")
		for _, replayed := range ids {
			Expect(replayed).To(Equal(ids[0]), "a retry replays the same MS-RequestId")
		}
		persisted, _ := persistedFirst.Load(ids[0])
		Expect(persisted).To(BeTrue(), "the MS-RequestId was on the object before the call went out")
		Expect(a.Annotations[mcaattestation.AnnotationAttestRequestID]).To(Equal(ids[0]))
		Expect(simRecord(id).Agreements).To(HaveLen(1))
	})

	It("honours the paused annotation: nothing is sent to Partner Center until it is removed", func() {
		_, id := existingCustomer(ns, "paused")
		a := partnerAttestation(ns, "paused", "paused")
		a.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
		Expect(k8s.Create(ctx, a)).To(Succeed())
		eventually(a, func(a *v1alpha1.MCAAttestation) bool {
			return hasCondition(a, v1alpha1.ConditionPaused, metav1.ConditionTrue, "")
		}, "never reported Paused")
		Consistently(func() []wire.Agreement { return simRecord(id).Agreements }).WithTimeout(500 * time.Millisecond).Should(BeEmpty())

		resumed := get(a)
		delete(resumed.Annotations, v1alpha1.AnnotationPaused)
		Expect(k8s.Update(ctx, resumed)).To(Succeed())
		Expect(status.Get(accepted(a), v1alpha1.ConditionPaused)).To(BeNil())
		Expect(simRecord(id).Agreements).To(HaveLen(1))
	})

	It("is a quiet reconciler: a settled attestation woken again writes nothing and calls Partner Center for nothing", func() {
		existingCustomer(ns, "settled")
		a := partnerAttestation(ns, "settled", "settled")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		accepted(a)
		var rv string
		Eventually(func() bool { // let the last write land
			rv = get(a).ResourceVersion
			time.Sleep(300 * time.Millisecond)
			return get(a).ResourceVersion == rv
		}).Should(BeTrue())
		reconciles, calls := testenv.QuietReconcileCount(mcaattestation.ControllerName), sim.TotalCalls()

		// The Customer watch passes only changes of what an attestation reads
		// of its Customer; an annotation on the attestation itself wakes it.
		woken := get(a)
		untouched := woken.DeepCopy()
		metav1.SetMetaDataAnnotation(&woken.ObjectMeta, "touched", rand.String(4))
		Expect(k8s.Patch(ctx, woken, client.MergeFrom(untouched))).To(Succeed())
		rv = woken.ResourceVersion
		Eventually(func() float64 { return testenv.ReconcileCount(mcaattestation.ControllerName) }).Should(BeNumerically(">", reconciles), "the attestation was not reconciled")
		Consistently(func() string { return get(a).ResourceVersion }).WithTimeout(500 * time.Millisecond).Should(Equal(rv))
		Expect(sim.TotalCalls()).To(Equal(calls), "a settled attestation called Partner Center")
	})
})

var _ = Describe("MCAAttestation for an indirect reseller operator", Ordered, func() {
	var reseller *testenv.Env
	BeforeAll(func() {
		reseller = startWebhookEnv(config.RoleIndirectReseller, nil) // admission only
		DeferCleanup(func() { Expect(reseller.Stop()).To(Succeed()) })
	})

	It("M2: refuses a partner attestation at admission: the indirect provider must attest", func() {
		a := partnerAttestation("default", "by-reseller", "contoso")
		err := reseller.Client.Create(context.Background(), a)
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
		Expect(err.Error()).To(And(ContainSubstring("spec.method"), ContainSubstring("M2"), ContainSubstring("indirect provider must attest")))

		Expect(reseller.Client.Create(context.Background(), directAcceptance("default", "direct-by-reseller", "contoso"))).
			To(Succeed(), "a reseller may still invite the customer to accept directly")
	})
})
