package mcaattestation

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// publishInvitation puts in status what the partner sends the customer for a
// direct acceptance (M7): the admin-center URL and the name of the Customer's
// credentials Secret (never the password). An existing tenant joining through
// the reseller relationship request gets the one parameterized URL that asks
// it to accept the relationship and the MCA together (M8); that URL is known
// before the customer ID is. A partner attestation publishes nothing, nor
// does an Observe object (I1: it reports, it asks no one to act).
func (r *Reconciler) publishInvitation(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer) error {
	if a.Spec.Method != v1alpha1.MethodDirectAcceptance || phase.Observing(a) {
		clearInvitation(a)
		return nil
	}
	if c == nil || (c.Spec.ExistingCustomerTenantID == "" && c.Status.CustomerID == "") {
		return nil // a new customer has no admin credentials to send before it exists
	}
	url, err := r.invitationURL(ctx, a, c)
	if err != nil {
		return err
	}
	if url != a.Status.InvitationURL {
		r.Event(a, corev1.EventTypeNormal, EventInvitationReady, "Send the customer %s to accept the Microsoft Customer Agreement", url)
	}
	a.Status.InvitationURL = url
	a.Status.CredentialsSecretName = c.Status.CredentialsSecretName
	return nil
}

// invitationURL is the admin-center agreement page for a new customer, or the
// partner's reseller-relationship request URL for an existing tenant (M8):
// the Customer's copy when it has one, else Partner Center's.
func (r *Reconciler) invitationURL(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer) (string, error) {
	if c.Spec.ExistingCustomerTenantID == "" {
		return wire.MCADirectAcceptanceURL, nil
	}
	if c.Status.RelationshipRequestURL != "" {
		return c.Status.RelationshipRequestURL, nil
	}
	if a.Status.InvitationURL != "" && a.Status.InvitationURL != wire.MCADirectAcceptanceURL {
		return a.Status.InvitationURL, nil
	}
	req, err := r.External.GetRelationshipRequestURL(ctx)
	if err != nil {
		return "", err
	}
	return req.URL, nil
}

// clearInvitation drops the direct-acceptance fields when the spec asks for
// a partner attestation (also after a switch from DirectAcceptance, M9).
func clearInvitation(a *v1alpha1.MCAAttestation) {
	a.Status.InvitationURL, a.Status.CredentialsSecretName, a.Status.WaitingSince = "", "", nil
}

// awaitDirectAcceptance tracks the customer's direct-signed status until
// Partner Center confirms an acceptance (M7), polling with a delay that grows
// with the wait. Partner Center never says a customer cannot accept directly
// (isSigned just stays false), so the wait is bounded (M9).
func (r *Reconciler) awaitDirectAcceptance(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer, agreement partnercenter.MCAState) (*phase.Halt, error) {
	if agreement.Accepted() {
		r.markAccepted(a, false)
		return nil, nil
	}
	now := r.Config.Now()
	if a.Status.WaitingSince == nil {
		a.Status.WaitingSince = &metav1.Time{Time: now}
	}
	h, err := r.directAcceptanceImpossible(ctx, a, c, now)
	if err != nil {
		return nil, err
	}
	if h == nil {
		h = phase.WaitFor(ReasonWaitingForDirectAcceptance, a.Status.WaitingSince.Time, "%s", waitingMessage(a))
	}
	status.MarkFalse(a, v1alpha1.ConditionAccepted, h.Outcome.Reason, h.Outcome.Message)
	return h, nil
}

// waitingMessage tells the user what to send the customer and how long the operator waits.
func waitingMessage(a *v1alpha1.MCAAttestation) string {
	credentials := "with its own administrator account"
	if a.Status.CredentialsSecretName != "" {
		credentials = fmt.Sprintf("with the user name and temporary password in Secret %q", a.Status.CredentialsSecretName)
	}
	where := a.Status.InvitationURL
	if where == "" {
		where = wire.MCADirectAcceptanceURL // nothing published (Observe): the admin center itself
	}
	return fmt.Sprintf("Waiting for the customer to accept the Microsoft Customer Agreement at %s, signing in %s; after %s without acceptance the partner must attest instead.",
		where, credentials, directAcceptanceTimeout(a))
}

// directAcceptanceImpossible is M9: past directAcceptanceTimeout, or as soon
// as an order for an existing customer is held for want of the agreement, the
// wait ends in Stalled PartnerAttestationRequired.
//
// The order signal comes from the Subscription controller, which marks a
// Subscription OrderBlocked with reason AgreementNotAccepted both when its
// gate holds the order and when Partner Center refuses it with 13605. It is
// read only for an existing tenant (spec.existingCustomerTenantID): only a
// customer that already bought through a partner relationship can be unable
// to accept directly, and for it a held order is the seed's "contact your
// partner to confirm". A new customer's held order is the normal M7 wait.
func (r *Reconciler) directAcceptanceImpossible(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer, now time.Time) (*phase.Halt, error) {
	timeout := directAcceptanceTimeout(a)
	if waited := now.Sub(a.Status.WaitingSince.Time); waited >= timeout {
		return phase.WaitFor(ReasonPartnerAttestationRequired, time.Time{},
			"The customer has not accepted the Microsoft Customer Agreement directly within %s. Partner Center cannot tell whether it is able to (a customer that already bought through a partner relationship cannot): set spec.method to PartnerAttestation with acceptedBy and dateAgreed to attest its acceptance.",
			timeout), nil
	}
	if c.Spec.ExistingCustomerTenantID == "" {
		return nil, nil
	}
	held, err := r.orderHeldForAgreement(ctx, c)
	if err != nil || held == "" {
		return nil, err
	}
	return phase.WaitFor(ReasonPartnerAttestationRequired, time.Time{},
		"Subscription %q for this existing customer is held because the Microsoft Customer Agreement is not accepted; such a customer may be unable to accept directly: set spec.method to PartnerAttestation with acceptedBy and dateAgreed to attest its acceptance.",
		held), nil
}

// orderHeldForAgreement names a Subscription of customer c whose order is
// blocked for want of the MCA ("" when none).
func (r *Reconciler) orderHeldForAgreement(ctx context.Context, c *v1alpha1.Customer) (string, error) {
	var subs v1alpha1.SubscriptionList
	if err := r.Client.List(ctx, &subs, client.InNamespace(c.Namespace), client.MatchingFields{controller.CustomerRefField: c.Name}); err != nil {
		return "", err
	}
	for i := range subs.Items {
		if s := &subs.Items[i]; heldForAgreement(s) {
			return s.Name, nil
		}
	}
	return "", nil
}

// heldForAgreement tells whether the Subscription's order is blocked because
// the customer's MCA acceptance is not confirmed (the gate, or a 13605 refusal).
func heldForAgreement(s *v1alpha1.Subscription) bool {
	blocked := status.Get(s, v1alpha1.ConditionOrderBlocked)
	return blocked != nil && blocked.Status == metav1.ConditionTrue && blocked.Reason == v1alpha1.ReasonAgreementNotAccepted
}

// directAcceptanceTimeout is the spec's bound on the wait, or the default.
func directAcceptanceTimeout(a *v1alpha1.MCAAttestation) time.Duration {
	if t := a.Spec.DirectAcceptanceTimeout; t != nil && t.Duration > 0 {
		return t.Duration
	}
	return DefaultDirectAcceptanceTimeout
}
