package plan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// nothingWritten marks an action that only reads Partner Center (an adoption).
const nothingWritten = "nothing written"

// partnerCenter is what the operator would do in Partner Center for o (the
// cluster holding current, nil when new) and what it would wait for.
func (p *planner) partnerCenter(ctx context.Context, o *Object, current client.Object) ([]string, string, error) {
	var actions []string
	var waits string
	var err error
	switch obj := o.defaulted.(type) {
	case *v1alpha1.Customer:
		actions, err = p.customerActions(ctx, obj, current)
	case *v1alpha1.MCAAttestation:
		actions, waits, err = p.attestationActions(ctx, obj, current)
	case *v1alpha1.ResellerPartnership:
		actions, err = p.partnershipActions(ctx, obj)
	case *v1alpha1.Subscription:
		actions, waits, err = p.subscriptionActions(ctx, obj, current)
	}
	return observeOnly(o.defaulted, actions), waits, err
}

// customerActions: adopt an existing customer (I1) or request the
// relationship (C7), create a new one, or update its billing profile (C10).
func (p *planner) customerActions(ctx context.Context, c *v1alpha1.Customer, current client.Object) ([]string, error) {
	if cur, ok := current.(*v1alpha1.Customer); ok && cur.Status.CustomerID != "" {
		if !cur.Status.Adopted && billingChanged(&cur.Spec, &c.Spec) {
			return []string{"update the billing profile of customer " + cur.Status.CustomerID + " (Microsoft verifies it again, C10)"}, nil
		}
		return nil, nil
	}
	if tenant := c.Spec.ExistingCustomerTenantID; tenant != "" {
		existing, err := p.PartnerCenter.GetCustomer(ctx, tenant)
		if err != nil && !partnercenter.IsNotFound(err) {
			return nil, err
		}
		if err == nil && existing.RelationshipToPartner == wire.RelationshipReseller {
			return []string{"adopt existing customer " + tenant + " (" + nothingWritten + ", I1)"}, nil
		}
		return []string{"publish the reseller relationship request link for tenant " + tenant + " and wait until it accepts (C7)"}, nil
	}
	return []string{fmt.Sprintf("create customer %s.onmicrosoft.com (%q)", c.Spec.Domain, c.Spec.CompanyName)}, nil
}

// billingChanged tells whether a billing field Partner Center verifies changed (C10).
func billingChanged(was, is *v1alpha1.CustomerSpec) bool {
	return was.CompanyName != is.CompanyName || was.Email != is.Email || was.PhoneNumber != is.PhoneNumber ||
		fmt.Sprint(was.Address) != fmt.Sprint(is.Address)
}

// attestationActions: adopt a confirmed acceptance (I1), attest (M2, M3), or
// wait for the customer's direct acceptance (M7).
func (p *planner) attestationActions(ctx context.Context, a *v1alpha1.MCAAttestation, current client.Object) ([]string, string, error) {
	if cur, ok := current.(*v1alpha1.MCAAttestation); ok && cur.Status.AcceptedAt != nil {
		return nil, "", nil
	}
	c, err := p.customer(ctx, a.Spec.CustomerRef.Name)
	if err != nil {
		return nil, "", err
	}
	if c == nil || c.Status.CustomerID == "" {
		return []string{attestationAction(a)}, fmt.Sprintf("M4: Customer %q to exist in Partner Center", a.Spec.CustomerRef.Name), nil
	}
	agreements, err := p.PartnerCenter.ListAgreements(ctx, c.Status.CustomerID)
	if err != nil {
		return nil, "", err
	}
	for _, ag := range agreements {
		if ag.Type == wire.AgreementTypeMCA {
			return []string{"adopt the acceptance Partner Center confirms (" + nothingWritten + ", I1)"}, "", nil
		}
	}
	if a.Spec.Method == v1alpha1.MethodDirectAcceptance {
		return nil, "M7: the customer to accept the Microsoft Customer Agreement in the Microsoft 365 admin center", nil
	}
	return []string{attestationAction(a)}, "", nil
}

// partnershipActions: adopt a listed reseller (I1) or request the partnership (R2).
func (p *planner) partnershipActions(ctx context.Context, rp *v1alpha1.ResellerPartnership) ([]string, error) {
	listed, err := p.PartnerCenter.ListIndirectResellers(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range listed {
		if r.MpnID == rp.Spec.ResellerMPNID {
			if rp.Spec.State == v1alpha1.PartnershipRemoved {
				return []string{"ask a person to end the partnership in the portal (R6)"}, nil
			}
			return []string{"adopt the active partnership with " + r.Name + " (" + nothingWritten + ", I1)"}, nil
		}
	}
	return []string{"request the partnership with MPN ID " + rp.Spec.ResellerMPNID + " (an e-mail to send, R2)"}, nil
}

// subscriptionActions: adopt (I1), buy (S1, S2) once the order gate (S4)
// opens, or change the existing subscription (S3, S6).
func (p *planner) subscriptionActions(ctx context.Context, s *v1alpha1.Subscription, current client.Object) ([]string, string, error) {
	in, err := p.gateInputs(ctx, s)
	if err != nil {
		return nil, "", err
	}
	recorded := ""
	if cur, ok := current.(*v1alpha1.Subscription); ok {
		recorded = cur.Status.SubscriptionID
	}
	switch {
	case recorded != "":
		remote, err := p.PartnerCenter.GetSubscription(ctx, in.Customer.Status.CustomerID, recorded)
		if err != nil {
			return nil, "", err
		}
		return changesOf(s, in, *remote), "", nil
	case s.Spec.SubscriptionID != "":
		return p.adoption(ctx, s, in)
	}
	actions := []string{fmt.Sprintf("buy %d licences of %s (%s, %s)", s.Spec.Quantity, s.Spec.OfferID, s.Spec.TermDuration, s.Spec.BillingCycle)}
	if reason, message, ok := subscription.OrderGate(s, in); !ok {
		return actions, reason + ": " + message, nil
	}
	return actions, "", nil
}

// adoption is what adopting spec.subscriptionID does: nothing but the
// changes of the spec, or the operator's refusal of a mismatch (I1).
func (p *planner) adoption(ctx context.Context, s *v1alpha1.Subscription, in subscription.GateInputs) ([]string, string, error) {
	if in.Customer == nil || in.Customer.Status.CustomerID == "" {
		return []string{"adopt subscription " + s.Spec.SubscriptionID + " (never ordered, " + nothingWritten + ", I1)"}, fmt.Sprintf("Customer %q to exist in Partner Center", s.Spec.CustomerRef.Name), nil
	}
	remote, err := p.PartnerCenter.GetSubscription(ctx, in.Customer.Status.CustomerID, s.Spec.SubscriptionID)
	if partnercenter.IsNotFound(err) {
		return []string{"nothing: the operator refuses the adoption (I1): Partner Center has no subscription " + s.Spec.SubscriptionID + " for customer " + in.Customer.Status.CustomerID}, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if !strings.EqualFold(remote.OfferID, s.Spec.OfferID) {
		return []string{"nothing: the operator refuses the adoption (I1): subscription " + s.Spec.SubscriptionID + " is for offer " + remote.OfferID}, "", nil
	}
	if other, err := p.recordedBy(ctx, s, remote.ID); err != nil || other != "" {
		return []string{"nothing: the operator refuses the adoption (I1): Subscription " + other + " already records subscription " + remote.ID}, "", err
	}
	return append([]string{"adopt subscription " + s.Spec.SubscriptionID + " (never ordered, " + nothingWritten + ", I1)"}, changesOf(s, in, *remote)...), "", nil
}

// recordedBy names another Subscription of the namespace that records the
// subscription id ("" when none): the reconciler refuses to adopt it twice.
func (p *planner) recordedBy(ctx context.Context, s *v1alpha1.Subscription, id string) (string, error) {
	var list v1alpha1.SubscriptionList
	if err := p.Cluster.List(ctx, &list, client.InNamespace(p.Namespace)); err != nil {
		return "", err
	}
	for _, other := range list.Items {
		if other.Name != s.Name && other.Status.SubscriptionID == id {
			return other.Name, nil
		}
	}
	return "", nil
}

// changesOf are the changes the reconciler would make to remote (S3), a
// decrease past the cancellation window being one Partner Center applies at renewal (S6).
func changesOf(s *v1alpha1.Subscription, in subscription.GateInputs, remote wire.Subscription) []string {
	var out []string
	for _, change := range subscription.Changes(s, in, remote) {
		out = append(out, "change "+change)
	}
	until, err := wire.ParseTime(remote.CancellationAllowedUntilDate)
	if int(s.Spec.Quantity) < remote.Quantity && err == nil && time.Now().After(until) {
		out = append(out, fmt.Sprintf("(the decrease comes after the cancellation window closed on %s: S6 schedules it for the renewal on %s)",
			until.UTC().Format(time.DateOnly), remote.CommitmentEndDate))
	}
	return out
}

// gateInputs are the cluster's objects the order gate reads for s.
func (p *planner) gateInputs(ctx context.Context, s *v1alpha1.Subscription) (subscription.GateInputs, error) {
	var in subscription.GateInputs
	var err error
	if in.Customer, err = p.customer(ctx, s.Spec.CustomerRef.Name); err != nil {
		return in, err
	}
	if in.Attestations, err = p.attestations(ctx, s.Spec.CustomerRef.Name); err != nil {
		return in, err
	}
	if in.Reseller, err = p.partnership(ctx, s.Spec.ResellerRef); err != nil {
		return in, err
	}
	in.SupportContact, err = p.partnership(ctx, s.Spec.SupportContactRef)
	return in, err
}

// attestationAction is what confirming a's acceptance does in Partner Center.
func attestationAction(a *v1alpha1.MCAAttestation) string {
	if a.Spec.Method == v1alpha1.MethodDirectAcceptance || a.Spec.AcceptedBy == nil {
		return "publish the invitation for the customer to accept the Microsoft Customer Agreement directly (M7)"
	}
	by := a.Spec.AcceptedBy
	return fmt.Sprintf("attest that %s %s (%s) accepted the Microsoft Customer Agreement on %s (M3)", by.FirstName, by.LastName, by.Email, a.Spec.DateAgreed)
}
