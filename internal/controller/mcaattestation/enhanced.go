package mcaattestation

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// The partner attestation as Partner Center takes it since 2026-01-05 (M11):
// an enhanced attestation for the customer's signatory, whose
// Microsoft-hosted link the customer accepts, then the agreement created
// with the attestation's ID.
//
// Crash safety: the MS-RequestId of the attestation call is persisted before
// the call and the attestation ID right after it, before the link is
// published; a crash or a lost answer in between replays the same
// MS-RequestId, which Partner Center answers with the same attestation, so
// one object never has two live links. An expired link is replaced by a new
// MS-RequestId, once per expired attestation.

const (
	// AnnotationAttestationRequestID holds the MS-RequestId of the call that
	// creates the current attestation.
	AnnotationAttestationRequestID = "partnercenter.csp.dev/attestation-request-id"
	// AnnotationAttestationID holds the current attestation's ID, persisted
	// as soon as Partner Center gave it.
	AnnotationAttestationID = "partnercenter.csp.dev/attestation-id"
)

// attestationLinkLifetime is the link expiry the operator asks for: the
// longest Partner Center allows (7 days), the customer may be slow to read mail.
const attestationLinkLifetime = wire.MaxLinkExpiryMinutes * time.Minute

// attestEnhanced carries a partner attestation one step further: create the
// attestation, wait for the customer to accept its link (replacing an
// expired one), create the agreement. state is Partner Center's view of the
// customer's agreement when it was read (not before the first attestation).
func (r *Reconciler) attestEnhanced(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer, state partnercenter.MCAState) (*phase.Halt, error) {
	if state.Accepted() {
		if a.Status.DateAgreed == "" {
			a.Status.DateAgreed = dateOnly(state.Newest(), "")
		}
		r.markAccepted(a, a.Annotations[AnnotationAttestRequestID] != "")
		return nil, nil
	}
	if phase.Observing(a) {
		return observeOnly(a), nil
	}
	if h := phase.StillRefused(a, v1alpha1.ConditionReady, ReasonAttestationRefused); h != nil {
		return h, nil
	}
	id := a.Annotations[AnnotationAttestationID]
	if id == "" {
		return r.createAttestation(ctx, a, c)
	}
	att, err := r.External.GetEnhancedAttestation(ctx, id)
	switch {
	case partnercenter.IsNotFound(err):
		att = &wire.EnhancedAttestation{AttestationID: id, Status: wire.AttestationExpired}
	case err != nil:
		return nil, err
	}
	r.publishLink(a, att)
	switch att.Status {
	case wire.AttestationAccepted:
		return r.createAttestedAgreement(ctx, a, c.Status.CustomerID, att)
	case wire.AttestationExpired:
		return r.replaceExpiredLink(ctx, a, c, att)
	}
	return waitForLinkAcceptance(a), nil
}

// createAttestation creates the attestation under a persisted MS-RequestId
// and persists its ID before publishing its link.
func (r *Reconciler) createAttestation(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer) (*phase.Halt, error) {
	req, err := r.attestationRequest(ctx, a, c)
	if err != nil {
		return nil, err
	}
	if missing := missingCompanyDetail(req); missing != "" {
		h := phase.WaitFor(ReasonAttestationDetailsMissing, time.Time{},
			"Customer %q has no %s: Partner Center's attestation names the company's %s; set it on the Customer.", c.Name, missing, missing)
		status.MarkFalse(a, v1alpha1.ConditionAccepted, h.Outcome.Reason, h.Outcome.Message)
		return h, nil
	}
	if err := r.persistAnnotation(ctx, a, AnnotationAttestationRequestID); err != nil {
		return nil, err
	}
	att, err := r.External.CreateEnhancedAttestation(ctx, a.Annotations[AnnotationAttestationRequestID], req)
	switch {
	case err == nil:
	case isRefusal(err):
		return r.attestationRefused(ctx, a, err)
	default:
		status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttesting, "The attestation is being created in Partner Center.")
		return nil, err // transient: the next pass replays the same MS-RequestId
	}
	if err := phase.PatchMetadata(ctx, r.Client, a, func(obj *v1alpha1.MCAAttestation) {
		obj.Annotations[AnnotationAttestationID] = att.AttestationID
	}); err != nil {
		return nil, err
	}
	r.publishLink(a, att)
	return waitForLinkAcceptance(a), nil
}

// attestationRequest is the attestation of the spec's signatory for the
// Customer's company, country and language; what the Customer does not
// declare (an existing tenant) comes from its billing profile.
func (r *Reconciler) attestationRequest(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer) (wire.EnhancedAttestationRequest, error) {
	p := a.Spec.AcceptedBy
	req := wire.EnhancedAttestationRequest{
		CompanyName: c.Spec.CompanyName, Language: c.Spec.Language,
		SignatoryFirstName: p.FirstName, SignatoryLastName: p.LastName, SignatoryEmail: p.Email, SignatoryPhoneNumber: p.PhoneNumber,
		ExpirationTimeInMinutes: int(attestationLinkLifetime / time.Minute),
	}
	if c.Spec.Address != nil {
		req.Country = c.Spec.Address.Country
	}
	if missingCompanyDetail(req) == "" {
		return req, nil
	}
	profile, err := r.External.GetBillingProfile(ctx, c.Status.CustomerID)
	if err != nil {
		return req, err
	}
	req.CompanyName = cmp.Or(req.CompanyName, profile.CompanyName)
	req.Language = cmp.Or(req.Language, profile.Language)
	if profile.DefaultAddress != nil {
		req.Country = cmp.Or(req.Country, profile.DefaultAddress.Country)
	}
	return req, nil
}

// missingCompanyDetail names the company detail the attestation lacks ("" when none).
func missingCompanyDetail(req wire.EnhancedAttestationRequest) string {
	switch {
	case req.CompanyName == "":
		return "companyName"
	case req.Country == "":
		return "address.country"
	case req.Language == "":
		return "language"
	}
	return ""
}

// publishLink records the attestation in status and announces a new link
// with an event, as a direct acceptance announces its invitation.
func (r *Reconciler) publishLink(a *v1alpha1.MCAAttestation, att *wire.EnhancedAttestation) {
	link := a.Status.Attestation
	if link == nil {
		link = &v1alpha1.AttestationLink{}
		a.Status.Attestation = link
	}
	if link.ID != att.AttestationID {
		link.ID, link.CreatedAt, link.ExpiresAt = att.AttestationID, apiTime(att.CreatedAt), apiTime(att.ExpiresAt)
		link.AcceptanceURL = att.AcceptanceURL
		r.Event(a, corev1.EventTypeNormal, EventAttestationLinkReady,
			"Send the customer %s to accept the Microsoft Customer Agreement; the link expires at %s", att.AcceptanceURL, att.ExpiresAt)
	}
	link.State = att.Status
}

// apiTime parses a Partner Center date-time; nil when absent or unreadable.
func apiTime(s string) *metav1.Time {
	t, err := wire.ParseTime(s)
	if s == "" || err != nil {
		return nil
	}
	return &metav1.Time{Time: t}
}

// waitForLinkAcceptance polls, with a delay growing since the link was
// created, until the customer accepted the link or it expired.
func waitForLinkAcceptance(a *v1alpha1.MCAAttestation) *phase.Halt {
	link := a.Status.Attestation
	var since time.Time
	if link.CreatedAt != nil {
		since = link.CreatedAt.Time
	}
	expires := "its expiry"
	if link.ExpiresAt != nil {
		expires = link.ExpiresAt.UTC().Format(time.RFC3339)
	}
	h := phase.WaitFor(ReasonWaitingForCustomerAcceptance, since,
		"Waiting for %s %s to accept the Microsoft Customer Agreement at %s (the link expires at %s and is then replaced).",
		a.Spec.AcceptedBy.FirstName, a.Spec.AcceptedBy.LastName, link.AcceptanceURL, expires)
	status.MarkFalse(a, v1alpha1.ConditionAccepted, h.Outcome.Reason, h.Outcome.Message)
	return h
}

// replaceExpiredLink drops the expired attestation and creates a new one
// under a new MS-RequestId. The annotations change in one patch, so a crash
// after it replays the new request and never replaces the same link twice.
func (r *Reconciler) replaceExpiredLink(ctx context.Context, a *v1alpha1.MCAAttestation, c *v1alpha1.Customer, expired *wire.EnhancedAttestation) (*phase.Halt, error) {
	if err := phase.PatchMetadata(ctx, r.Client, a, func(obj *v1alpha1.MCAAttestation) {
		delete(obj.Annotations, AnnotationAttestationID)
		obj.Annotations[AnnotationAttestationRequestID] = uuid.NewString()
	}); err != nil {
		return nil, err
	}
	a.Status.Attestation.ExpiredLinksReplaced++
	r.Event(a, corev1.EventTypeNormal, EventAttestationLinkExpired,
		"The acceptance link of attestation %s expired unaccepted at %s; a new link replaces it", expired.AttestationID, expired.ExpiresAt)
	return r.createAttestation(ctx, a, c)
}

// createAttestedAgreement creates the agreement with the accepted
// attestation's ID under a persisted MS-RequestId; 600061 (an identical
// agreement exists) counts as done. M5's notice is due from now, the
// agreement's creation.
func (r *Reconciler) createAttestedAgreement(ctx context.Context, a *v1alpha1.MCAAttestation, customerID string, att *wire.EnhancedAttestation) (*phase.Halt, error) {
	templateID, err := r.templateID(ctx, a)
	if err != nil {
		return nil, err
	}
	if templateID == "" {
		return noTemplate(), nil
	}
	if err := r.persistAnnotation(ctx, a, AnnotationAttestRequestID); err != nil {
		return nil, err
	}
	created, err := r.External.CreateAttestedAgreement(ctx, a.Annotations[AnnotationAttestRequestID], customerID, wire.Agreement{
		PrimaryContact: signatoryOf(a, att), TemplateID: templateID, Type: wire.AgreementTypeMCA, AttestationID: att.AttestationID,
	})
	switch {
	case err == nil || partnercenter.IsDuplicateAgreement(err):
		a.Status.DateAgreed = a.Spec.DateAgreed
		if created != nil {
			a.Status.DateAgreed = dateOnly(created.DateAgreed, a.Spec.DateAgreed)
		}
		a.Status.AgreementStatus = v1alpha1.AgreementProvided
		r.markAccepted(a, err == nil)
		return nil, nil
	case isRefusal(err):
		return r.attestationRefused(ctx, a, err)
	default:
		status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttesting, "The agreement is being created in Partner Center.")
		return nil, err
	}
}

// signatoryOf is the person who accepted the attestation: its signatory as
// Partner Center echoes it (an acceptedBy changed after the link went out
// applies to the next link only), else spec.acceptedBy.
func signatoryOf(a *v1alpha1.MCAAttestation, att *wire.EnhancedAttestation) wire.Contact {
	if att.SignatoryEmail == "" {
		return contactOf(a)
	}
	return wire.Signatory(att.EnhancedAttestationRequest)
}

// dateOnly is the YYYY-MM-DD of a Partner Center date-time, else fallback.
func dateOnly(s, fallback string) string {
	if t := apiTime(s); t != nil {
		return t.UTC().Format(time.DateOnly)
	}
	return fallback
}

// persistAnnotation writes a new MS-RequestId under key before the call it
// identifies (nothing when one is already there, so a retry replays it).
func (r *Reconciler) persistAnnotation(ctx context.Context, a *v1alpha1.MCAAttestation, key string) error {
	if a.Annotations[key] != "" {
		return nil
	}
	return phase.PatchMetadata(ctx, r.Client, a, func(obj *v1alpha1.MCAAttestation) {
		if obj.Annotations == nil {
			obj.Annotations = map[string]string{}
		}
		obj.Annotations[key] = uuid.NewString()
	})
}

// linkMessage is what the Ready message adds about the link once accepted.
func linkMessage(a *v1alpha1.MCAAttestation) string {
	if a.Status.Attestation == nil || a.Status.Attestation.ID == "" {
		return ""
	}
	return fmt.Sprintf(" (enhanced attestation %s)", a.Status.Attestation.ID)
}
