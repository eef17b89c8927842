package mcaattestation

import (
	"context"
	"time"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// AnnotationAttestRequestID holds the MS-RequestId of the pending or done
// agreement call. It is written before the call, so a crash or a timeout
// replays the same request and Partner Center answers with the original
// agreement instead of recording a second one.
const AnnotationAttestRequestID = "partnercenter.csp.dev/attest-request-id"

// observeOnly is I1 for an Observe partner attestation Partner Center does
// not confirm yet: nothing is attested (an acceptance it confirms, by any
// attestation or the customer's own, is adopted before this is asked).
func observeOnly(a *v1alpha1.MCAAttestation) *phase.Halt {
	h := phase.ObserveOnly("the partner attestation of the Microsoft Customer Agreement")
	status.MarkFalse(a, v1alpha1.ConditionAccepted, h.Outcome.Reason, h.Outcome.Message)
	return h
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

// attestationRefused stalls on Partner Center's refusal and drops the spent
// MS-RequestIds and attestation: the next attempt, after the spec changed,
// starts again with new requests.
func (r *Reconciler) attestationRefused(ctx context.Context, a *v1alpha1.MCAAttestation, err error) (*phase.Halt, error) {
	if perr := phase.PatchMetadata(ctx, r.Client, a, func(obj *v1alpha1.MCAAttestation) {
		for _, key := range []string{AnnotationAttestRequestID, AnnotationAttestationRequestID, AnnotationAttestationID} {
			delete(obj.Annotations, key)
		}
	}); perr != nil {
		return nil, perr
	}
	h := phase.WaitFor(ReasonAttestationRefused, time.Time{}, "Partner Center refused the attestation: %s. Correct the spec to attest again.", err.Error())
	status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttestationRefused, h.Outcome.Message)
	return h, nil
}
