package mcaattestation

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// AnnotationAttestRequestID holds the MS-RequestId of the pending or done
// attestation call. It is written before the call, so a crash or a timeout
// replays the same request and Partner Center answers with the original
// agreement instead of recording a second one.
const AnnotationAttestRequestID = "partnercenter.csp.dev/attest-request-id"

// attest is the partner attestation (M2, M3): nothing is sent when Partner
// Center is known to list an attestation with this contact; otherwise the
// template is looked up, the MS-RequestId persisted and the agreement
// created, a 600061 duplicate counting as done (re-applying, or a second
// object for the same person, never creates a second agreement).
func (r *Reconciler) attest(ctx context.Context, a *v1alpha1.MCAAttestation, customerID string, state partnercenter.MCAState) (*phase.Halt, error) {
	if attestedBy(state, contactOf(a)) {
		// Listed already: this object's own earlier call (a crash or a lost
		// answer, its MS-RequestId is persisted) or an identical attestation
		// made before it, whose notice this object did not cause.
		r.markAccepted(a, a.Annotations[AnnotationAttestRequestID] != "")
		return nil, nil
	}
	if h := phase.StillRefused(a, v1alpha1.ConditionReady, ReasonAttestationRefused); h != nil {
		return h, nil
	}
	templateID, err := r.templateID(ctx, a)
	if err != nil {
		return nil, err
	}
	if templateID == "" {
		return noTemplate(), nil
	}
	if err := r.persistRequestID(ctx, a); err != nil {
		return nil, err
	}
	_, err = r.External.CreateAgreement(ctx, a.Annotations[AnnotationAttestRequestID], customerID, agreementOf(a, templateID))
	switch {
	case err == nil || partnercenter.IsDuplicateAgreement(err):
		// 600061: an identical attestation was made before this object's
		// call (a re-applied or twin object); its notice was not caused here.
		a.Status.AgreementStatus = v1alpha1.AgreementProvided
		r.markAccepted(a, err == nil)
		return nil, nil
	case isRefusal(err):
		return r.attestationRefused(ctx, a, err)
	default:
		status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttesting, "The attestation is being sent to Partner Center.")
		return nil, err // transient: the next pass replays the same MS-RequestId
	}
}

// isRefusal reports an answer that replaying cannot change: a client error
// about the attestation itself (not throttling, not a missing credential).
func isRefusal(err error) bool {
	_, throttled := partnercenter.IsThrottled(err)
	return phase.IsClientError(err) && !throttled && !partnercenter.IsCredentialRequired(err)
}

// contactOf is the accepting person as Partner Center records it.
func contactOf(a *v1alpha1.MCAAttestation) wire.Contact {
	p := a.Spec.AcceptedBy
	return wire.Contact{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email, PhoneNumber: p.PhoneNumber}
}

// agreementOf is the attestation body: always the Microsoft Customer
// Agreement type, dateAgreed as a UTC date-time at midnight.
func agreementOf(a *v1alpha1.MCAAttestation, templateID string) wire.Agreement {
	agreed, _ := time.Parse(time.DateOnly, a.Spec.DateAgreed) // validated by validateSpec
	return wire.Agreement{
		PrimaryContact: contactOf(a),
		TemplateID:     templateID,
		DateAgreed:     wire.FormatTime(agreed),
		Type:           wire.AgreementTypeMCA,
	}
}

// templateID is the spec's template, else the one already looked up (for
// this object or, once per process, for any), else the MCA template from
// Partner Center's agreement metadata ("" when it lists none).
func (r *Reconciler) templateID(ctx context.Context, a *v1alpha1.MCAAttestation) (string, error) {
	if a.Spec.TemplateID != "" {
		a.Status.TemplateID = a.Spec.TemplateID
		return a.Spec.TemplateID, nil
	}
	if a.Status.TemplateID != "" {
		return a.Status.TemplateID, nil
	}
	r.mcaTemplate.Lock()
	defer r.mcaTemplate.Unlock()
	if r.mcaTemplate.id == "" {
		templates, err := r.External.GetAgreementMetadata(ctx)
		if err != nil {
			return "", err
		}
		for _, t := range templates {
			if t.AgreementType == wire.AgreementTypeMCA {
				r.mcaTemplate.id = t.TemplateID
				break
			}
		}
	}
	a.Status.TemplateID = r.mcaTemplate.id
	return r.mcaTemplate.id, nil
}

// noTemplate waits, polling slowly, when Partner Center's agreement metadata
// lists no Microsoft Customer Agreement template.
func noTemplate() *phase.Halt {
	return phase.WaitFor(status.ReasonPartnerCenterRefused, time.Time{},
		"Partner Center's agreement metadata lists no %s template; set spec.templateID.", wire.AgreementTypeMCA)
}

// persistRequestID writes a new MS-RequestId to the object before the first
// attestation call (or after a refusal cleared the previous one).
func (r *Reconciler) persistRequestID(ctx context.Context, a *v1alpha1.MCAAttestation) error {
	if a.Annotations[AnnotationAttestRequestID] != "" {
		return nil
	}
	return phase.PatchMetadata(ctx, r.Client, a, func(obj *v1alpha1.MCAAttestation) {
		if obj.Annotations == nil {
			obj.Annotations = map[string]string{}
		}
		obj.Annotations[AnnotationAttestRequestID] = uuid.NewString()
	})
}

// attestationRefused stalls on Partner Center's refusal and drops the spent
// MS-RequestId: the next attempt, after the spec changed, is a new request.
func (r *Reconciler) attestationRefused(ctx context.Context, a *v1alpha1.MCAAttestation, err error) (*phase.Halt, error) {
	if perr := phase.PatchMetadata(ctx, r.Client, a, func(obj *v1alpha1.MCAAttestation) { delete(obj.Annotations, AnnotationAttestRequestID) }); perr != nil {
		return nil, perr
	}
	h := phase.WaitFor(ReasonAttestationRefused, time.Time{}, "Partner Center refused the attestation: %s. Correct the spec to attest again.", err.Error())
	status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttestationRefused, h.Outcome.Message)
	return h, nil
}
