package resellerpartnership

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// Live runs the steps of a partnership the spec wants Active (R1, R2), or
// its removal when the spec wants it Removed (R6). The finalizer is in place
// before anything is recorded as requested, so a deletion always goes
// through the deletion policy; an Observe object (I1) holds none, as its
// deletion removes nothing, and is never removed.
func (r *Reconciler) Live(ctx context.Context, rp *v1alpha1.ResellerPartnership, _ *phase.Pass) (*phase.Halt, error) {
	if phase.Observing(rp) {
		if removalRequested(rp) {
			return phase.ObserveOnly("removing the partnership"), nil
		}
	} else if err := r.ensureFinalizer(ctx, rp); err != nil {
		return nil, err
	}
	if removalRequested(rp) {
		h, err := r.remove(ctx, rp)
		if h == nil && err == nil {
			err = phase.ReleaseFinalizer(ctx, r.Client, rp)
		}
		return h, err
	}
	status.Remove(rp, v1alpha1.ConditionRemovalConfirmed)
	if h, err := r.checkReseller(ctx, rp); h != nil || err != nil {
		return h, err
	}
	listed, err := r.findReseller(ctx, rp)
	if err != nil {
		return nil, err
	}
	if listed == nil {
		return r.request(rp), nil
	}
	return r.activate(rp, *listed), nil
}

// Validate runs the admission rules again (webhooks may be off): only an
// indirect provider partners with indirect resellers (R1).
func (r *Reconciler) Validate(rp *v1alpha1.ResellerPartnership) *phase.Halt {
	return phase.InvalidSpecOf(rp, v1alpha1.ConditionActive, validation.ResellerPartnership(rp, r.Config))
}

// refusal is what Partner Center's answer to the agreement-status call means
// for the reseller (R1): the reason and the API's reason in words.
type refusal struct {
	reason status.Reason
	words  string
}

// refusals maps the agreement-status error codes to what they mean.
var refusals = map[string]refusal{
	wire.CodeMPNInvalid:             {ReasonMPNIDInvalid, "the MPN ID is invalid or has not been migrated to Partner Center"},
	wire.CodeCSPRegionMismatch:      {ReasonCSPRegionMismatch, "the reseller is enrolled in CSP in another region than this provider"},
	wire.CodeMPANotSigned:           {ReasonMPANotSigned, "the reseller has not signed the Microsoft Partner Agreement"},
	wire.CodeMPNNotIndirectReseller: {ReasonNotIndirectReseller, "the MPN ID is not enrolled in CSP as an indirect reseller"},
}

// checkReseller is R1: the reseller must be enrolled in CSP as an indirect
// reseller with a signed Microsoft Partner Agreement, identified by the MPN
// ID of its Partner Location Account. The check is made once: the MPN ID is
// immutable and status.resellerMPNID records that it passed.
func (r *Reconciler) checkReseller(ctx context.Context, rp *v1alpha1.ResellerPartnership) (*phase.Halt, error) {
	mpnID := rp.Spec.ResellerMPNID
	if rp.Status.ResellerMPNID == mpnID {
		return nil, nil
	}
	answer, err := r.External.GetResellerAgreementStatus(ctx, mpnID)
	if refused, ok := refusals[partnercenter.ErrorCode(err)]; ok {
		return refuseReseller(rp, refused, err.Error()), nil
	}
	if err != nil {
		return nil, err
	}
	if !answer.IsAgreementSigned {
		return refuseReseller(rp, refusals[wire.CodeMPANotSigned], "isAgreementSigned is false"), nil
	}
	rp.Status.ResellerMPNID = mpnID
	return nil, nil
}

// refuseReseller stalls the partnership with Partner Center's verdict on the
// MPN ID (R1): only the reseller (or a corrected MPN ID) can change it.
func refuseReseller(rp *v1alpha1.ResellerPartnership, refused refusal, detail string) *phase.Halt {
	msg := fmt.Sprintf("R1: Partner Center refuses MPN ID %s as an indirect reseller: %s (%s). Once the reseller has fixed its enrolment, change any annotation of this object to check again; for another MPN ID create a new ResellerPartnership.",
		rp.Spec.ResellerMPNID, refused.words, detail)
	status.MarkFalse(rp, v1alpha1.ConditionActive, refused.reason, msg)
	return phase.WaitFor(refused.reason, time.Time{}, "%s", msg)
}

// findReseller looks the reseller up by MPN ID in the provider's indirect
// resellers list; nil when it is not there (R2, R6).
func (r *Reconciler) findReseller(ctx context.Context, rp *v1alpha1.ResellerPartnership) (*wire.PartnerRelationship, error) {
	listed, err := r.External.ListIndirectResellers(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(listed, func(p wire.PartnerRelationship) bool {
		return p.MpnID == rp.Spec.ResellerMPNID && (p.State == "" || strings.EqualFold(p.State, wire.RelationshipStateActive))
	})
	if i < 0 {
		return nil, nil
	}
	return &listed[i], nil
}

// request is R2 while the reseller is not in the list: publish the
// provider's invitation link and a ready e-mail draft (with an event when
// they are new or changed), and poll the list with a growing, jittered delay.
// Partner Center has no API that sends the request: a person sends the e-mail.
func (r *Reconciler) request(rp *v1alpha1.ResellerPartnership) *phase.Halt {
	link := r.Config.ResellerInvitationURL
	if rp.Spec.ResellerEmail == "" {
		msg := fmt.Sprintf("R2: reseller MPN ID %s is not in the indirect resellers list: set spec.resellerEmail to get the partnership request e-mail to send it.", rp.Spec.ResellerMPNID)
		status.MarkFalse(rp, v1alpha1.ConditionActive, ReasonResellerEmailMissing, msg)
		return phase.WaitFor(ReasonResellerEmailMissing, time.Time{}, "%s", msg)
	}
	if link == "" {
		msg := fmt.Sprintf("R2: reseller MPN ID %s is not in the indirect resellers list and the operator has no invitation link to request the partnership with: copy the provider's personalized indirect-reseller invitation link from the Partner Center portal and start the operator with --reseller-invitation-url.",
			rp.Spec.ResellerMPNID)
		status.MarkFalse(rp, v1alpha1.ConditionActive, ReasonInvitationURLMissing, msg)
		return phase.WaitFor(ReasonInvitationURLMissing, time.Time{}, "%s", msg)
	}
	r.publishRequest(rp, link)
	msg := fmt.Sprintf("R2: waiting for reseller MPN ID %s to accept the partnership request: send the e-mail in status.emailDraft to %s; the partnership is Active once the reseller is in the indirect resellers list.",
		rp.Spec.ResellerMPNID, rp.Spec.ResellerEmail)
	if rp.Status.Phase == v1alpha1.PhaseActive {
		msg = "The reseller is no longer in the indirect resellers list (the partnership was ended outside the operator). " + msg
	}
	rp.Status.Phase = v1alpha1.PhaseRequested
	status.MarkFalse(rp, v1alpha1.ConditionActive, ReasonAwaitingAcceptance, msg)
	return phase.WaitFor(ReasonAwaitingAcceptance, since(rp, v1alpha1.ConditionActive, r.Config.Now()), "%s", msg)
}

// publishRequest writes the invitation link and the e-mail draft to status,
// and tells a person to send it when it is new, changed, or due again (the
// partnership was active or removed before) (R2).
func (r *Reconciler) publishRequest(rp *v1alpha1.ResellerPartnership, link string) {
	draft := emailDraft(rp, link, r.Config.PartnerDomain)
	if rp.Status.Phase == v1alpha1.PhaseRequested && rp.Status.PartnershipRequestURL == link &&
		rp.Status.EmailDraft != nil && *rp.Status.EmailDraft == draft {
		return
	}
	rp.Status.PartnershipRequestURL, rp.Status.EmailDraft = link, &draft
	r.Event(rp, corev1.EventTypeNormal, EventPartnershipRequested,
		"Send the partnership request in status.emailDraft to %s: it carries the invitation link %s and MPN ID %s", draft.To, link, rp.Spec.ResellerMPNID)
}

// emailDraft is the partnership request e-mail to the reseller (R2): the
// personalized link ties the acceptance to the provider's account.
func emailDraft(rp *v1alpha1.ResellerPartnership, link, partnerDomain string) v1alpha1.EmailDraft {
	signature := "Kind regards"
	if partnerDomain != "" {
		signature += ",\n" + partnerDomain
	}
	return v1alpha1.EmailDraft{
		To:      rp.Spec.ResellerEmail,
		Subject: fmt.Sprintf("Partnership request: Microsoft Cloud Solution Provider indirect reseller, MPN ID %s", rp.Spec.ResellerMPNID),
		Body: fmt.Sprintf("Hello,\n\nWe would like to become your indirect provider in the Microsoft Cloud Solution Provider (CSP) program, "+
			"for your Partner Location Account with MPN ID %s.\n\n"+
			"To accept, sign in to Partner Center as an admin of that account, open this link and accept the partnership:\n\n%s\n\n"+
			"Once you have accepted, we can create customers and place orders on your behalf.\n\n%s\n",
			rp.Spec.ResellerMPNID, link, signature),
	}
}

// activate records the reseller as the list shows it (R2): its name, the
// tenant ID customers use as AssociatedPartnerId (R4) and the MPN ID
// subscriptions use as partner of record (R3, R5).
func (r *Reconciler) activate(rp *v1alpha1.ResellerPartnership, listed wire.PartnerRelationship) *phase.Halt {
	if want := rp.Spec.ResellerTenantID; want != "" && !strings.EqualFold(want, listed.ID) {
		msg := fmt.Sprintf("spec.resellerTenantID %s differs from the tenant ID %s the indirect resellers list shows for MPN ID %s: correct or remove spec.resellerTenantID.",
			want, listed.ID, listed.MpnID)
		status.MarkFalse(rp, v1alpha1.ConditionActive, ReasonTenantIDMismatch, msg)
		return phase.WaitFor(ReasonTenantIDMismatch, time.Time{}, "%s", msg)
	}
	rp.Status.ResellerName, rp.Status.ResellerTenantID, rp.Status.ResellerMPNID = listed.Name, listed.ID, listed.MpnID
	if rp.Status.Phase != v1alpha1.PhaseActive {
		r.Event(rp, corev1.EventTypeNormal, EventActive, "%s", activeMessage(rp))
	}
	rp.Status.Phase = v1alpha1.PhaseActive
	status.MarkTrue(rp, v1alpha1.ConditionActive, ReasonActive, activeMessage(rp))
	return nil
}

// activeMessage says what an active partnership gives Customers and Subscriptions.
func activeMessage(rp *v1alpha1.ResellerPartnership) string {
	return fmt.Sprintf("Reseller %q (MPN ID %s, tenant %s) is in the indirect resellers list: customers are created with tenant %s as AssociatedPartnerId, subscriptions name MPN ID %s as partner of record.",
		rp.Status.ResellerName, rp.Status.ResellerMPNID, rp.Status.ResellerTenantID, rp.Status.ResellerTenantID, rp.Status.ResellerMPNID)
}

// readyOutcome is what a pass with nothing left to do reports: Active, or
// Removed once a requested removal is done.
func readyOutcome(rp *v1alpha1.ResellerPartnership) status.Outcome {
	if rp.Status.Phase == v1alpha1.PhaseRemoved {
		return status.Outcome{Ready: true, Reason: ReasonRemoved, Message: fmt.Sprintf(
			"R6: reseller MPN ID %s is no longer in the indirect resellers list; the customers associated with it were left as they are.", rp.Spec.ResellerMPNID)}
	}
	return status.Outcome{Ready: true, Reason: ReasonActive, Message: activeMessage(rp)}
}

// since is when the wait reported by condType began: its last transition,
// or now when it is not reported yet. Slow polls grow with the wait.
func since(rp *v1alpha1.ResellerPartnership, condType string, now time.Time) time.Time {
	if cond := status.Get(rp, condType); cond != nil {
		return cond.LastTransitionTime.Time
	}
	return now
}
