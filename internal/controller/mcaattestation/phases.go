package mcaattestation

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// DefaultDirectAcceptanceTimeout bounds a direct-acceptance wait when the
// spec has no directAcceptanceTimeout (the CRD defaults it to the same) (M9).
const DefaultDirectAcceptanceTimeout = 7 * 24 * time.Hour

// Live confirms the acceptance the way the spec declares, once the customer
// exists (M4). Except before a partner attestation is sent, the agreement
// state is read back from Partner Center on every pass until it is confirmed
// (M6), so an acceptance made outside the operator counts too. A confirmed
// acceptance is final (acceptanceFinal): its drift checks read nothing.
func (r *Reconciler) Live(ctx context.Context, a *v1alpha1.MCAAttestation, _ *phase.Pass) (*phase.Halt, error) {
	customer, err := r.customer(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := r.publishInvitation(ctx, a, customer); err != nil {
		return nil, err
	}
	if customer == nil || customer.Status.CustomerID == "" {
		return waitForCustomer(a, customer), nil
	}
	if acceptanceFinal(a, r.Config.Now()) {
		return nil, nil
	}
	if firstAttestation(a) {
		return r.attestEnhanced(ctx, a, customer, partnercenter.MCAState{})
	}
	agreement, err := r.observeAgreement(ctx, a, customer.Status.CustomerID)
	if err != nil {
		return nil, err
	}
	if a.Spec.Method == v1alpha1.MethodPartnerAttestation {
		return r.attestEnhanced(ctx, a, customer, agreement)
	}
	return r.awaitDirectAcceptance(ctx, a, customer, agreement)
}

// acceptanceFinal tells whether the acceptance this object confirmed stays
// confirmed without reading it again: Partner Center only ever adds
// agreements, and an acceptance that counts today keeps counting unless M12
// voids it, which only happens to one dated before 2023-04-01. So it is
// final for a direct acceptance (the customer's signature has no date) and
// for an attestation whose date is known and counts.
func acceptanceFinal(a *v1alpha1.MCAAttestation, now time.Time) bool {
	if a.Status.AcceptedAt == nil || !status.IsTrue(a, v1alpha1.ConditionAccepted) || a.Status.AgreementStatus != v1alpha1.AgreementProvided {
		return false
	}
	if a.Spec.Method == v1alpha1.MethodDirectAcceptance {
		return true
	}
	return a.Status.DateAgreed != "" && !partnercenter.AcceptanceOutdated(a.Status.DateAgreed, now)
}

// firstAttestation tells whether a partner attestation is not confirmed yet:
// it goes on without listing the agreements first (never for Observe, which
// reads first and only adopts, I1), because Partner Center
// answers an identical agreement with 600061 (counted as done) and a replay of
// this object's own MS-RequestId with the original agreement; a customer whose
// only acceptance is outdated proceeds as a new one (M12). The Customer reads
// the agreement back once this object reports it (M6).
func firstAttestation(a *v1alpha1.MCAAttestation) bool {
	return a.Spec.Method == v1alpha1.MethodPartnerAttestation && a.Status.AcceptedAt == nil && !phase.Observing(a)
}

// Validate runs the admission rules again (webhooks may be off) until the
// acceptance is confirmed; an accepted attestation is never re-judged (the
// operator's role may change later, the attestation stays made).
func (r *Reconciler) Validate(a *v1alpha1.MCAAttestation) *phase.Halt {
	if a.Status.AcceptedAt != nil {
		return nil
	}
	return phase.InvalidSpecOf(a, v1alpha1.ConditionAccepted, validation.MCAAttestation(a, r.Config, r.Config.Now()))
}

// customer reads the referenced Customer; nil when it does not exist (yet).
func (r *Reconciler) customer(ctx context.Context, a *v1alpha1.MCAAttestation) (*v1alpha1.Customer, error) {
	c := &v1alpha1.Customer{}
	err := r.Client.Get(ctx, types.NamespacedName{Namespace: a.Namespace, Name: a.Spec.CustomerRef.Name}, c)
	if err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return c, nil
}

// waitForCustomer is M4: an attestation declared with its new Customer waits
// for the customer ID and is carried out as soon as there is one (the
// Customer watch wakes it).
func waitForCustomer(a *v1alpha1.MCAAttestation, c *v1alpha1.Customer) *phase.Halt {
	a.Status.AgreementStatus = v1alpha1.AgreementNotProvided
	what := "does not exist yet"
	if c != nil {
		what = "has no Partner Center customer ID yet"
	}
	h := phase.WaitFor(ReasonWaitingForCustomer, a.CreationTimestamp.Time,
		"Customer %q %s; the agreement is confirmed as soon as it exists in Partner Center.", a.Spec.CustomerRef.Name, what)
	if a.Status.InvitationURL != "" {
		h.Outcome.Message += " Meanwhile send the customer " + a.Status.InvitationURL + " to accept the reseller relationship and the Microsoft Customer Agreement together."
	}
	status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonWaitingForCustomer, h.Outcome.Message)
	return h
}

// observeAgreement reads the customer's MCA state back from Partner Center
// and records it as Provided or NotProvided (M6). The direct-signed status is
// read only for a direct acceptance and only when no attestation already
// answers the question: a partner attestation is confirmed by the listed
// attestations alone (the Customer's agreementStatus counts a direct
// signature for every method).
func (r *Reconciler) observeAgreement(ctx context.Context, a *v1alpha1.MCAAttestation, customerID string) (partnercenter.MCAState, error) {
	state, err := partnercenter.ReadMCAState(ctx, r.External, customerID, a.Spec.Method == v1alpha1.MethodDirectAcceptance, r.Config.Now())
	if err != nil {
		return state, err
	}
	a.Status.AgreementStatus = v1alpha1.AgreementNotProvided
	if state.Accepted() {
		a.Status.AgreementStatus = v1alpha1.AgreementProvided
	}
	return state, nil
}

// markAccepted records a confirmed acceptance, with one event. After a
// partner attestation the customer's primary contact is e-mailed by Microsoft
// within 30 minutes (M5): the operator records when and says so in that
// event. No notice follows a direct acceptance.
func (r *Reconciler) markAccepted(a *v1alpha1.MCAAttestation, byPartner bool) {
	if a.Status.AcceptedAt == nil {
		now := r.Config.Now()
		a.Status.AcceptedAt = &metav1.Time{Time: now}
		if byPartner {
			due := now.Add(partnerNoticeWindow)
			a.Status.NotificationDueBy = &metav1.Time{Time: due}
			r.Event(a, corev1.EventTypeNormal, EventAttested,
				"Partner attestation recorded and confirmed by Partner Center; Microsoft notifies the customer's primary contact by e-mail by %s (within 30 minutes, M5)", due.UTC().Format(time.RFC3339))
		} else {
			r.Event(a, corev1.EventTypeNormal, EventAccepted, "Partner Center confirms the customer's acceptance of the Microsoft Customer Agreement")
		}
	}
	status.MarkTrue(a, v1alpha1.ConditionAccepted, ReasonAccepted, acceptedMessage(a))
}

// partnerNoticeWindow is how soon after a partner attestation Microsoft
// e-mails the customer's primary contact (M5).
const partnerNoticeWindow = 30 * time.Minute

// acceptedMessage summarises a confirmed acceptance for people.
func acceptedMessage(a *v1alpha1.MCAAttestation) string {
	if a.Spec.Method == v1alpha1.MethodPartnerAttestation {
		date := a.Status.DateAgreed
		if date == "" {
			date = a.Spec.DateAgreed
		}
		return fmt.Sprintf("Partner Center confirms the partner attestation%s that %s %s accepted the Microsoft Customer Agreement on %s.",
			linkMessage(a), a.Spec.AcceptedBy.FirstName, a.Spec.AcceptedBy.LastName, date)
	}
	return "Partner Center confirms the customer's acceptance of the Microsoft Customer Agreement."
}
