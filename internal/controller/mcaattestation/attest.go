package mcaattestation

import (
	"context"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// AnnotationAttestRequestID holds the MS-RequestId of the pending or done
// agreement call. It is written before the call, so a crash or a timeout
// replays the same request and Partner Center answers with the original
// agreement instead of recording a second one.
const AnnotationAttestRequestID = "partnercenter.csp.dev/attest-request-id"

// isRefusal reports an answer that replaying cannot change: a client error
// about the attestation itself (not throttling, not a missing credential).
func isRefusal(err error) bool {
	_, throttled := partnercenter.IsThrottled(err)
	return phase.IsClientError(err) && !throttled && !partnercenter.IsCredentialRequired(err)
}

// contactOf is the accepting person as Partner Center records it.
func contactOf(a *v1alpha1.MCAAttestation) partnercenter.Contact {
	p := a.Spec.AcceptedBy
	return partnercenter.Contact{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email, PhoneNumber: p.PhoneNumber}
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
			if t.AgreementType == partnercenter.AgreementTypeMCA {
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
		"Partner Center's agreement metadata lists no %s template; set spec.templateID.", partnercenter.AgreementTypeMCA)
}

// attestationRefused stalls on Partner Center's refusal and drops the spent
// MS-RequestIds and attestation: the next attempt, after the spec changed,
// starts again with new requests.
func (r *Reconciler) attestationRefused(ctx context.Context, a *v1alpha1.MCAAttestation, err error) (*phase.Halt, error) {
	if perr := r.patchMetadata(ctx, a, func(obj *v1alpha1.MCAAttestation) {
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

// stillRefused keeps a refused attestation stalled, without calling Partner
// Center again, until the spec changes (a new generation).
func stillRefused(a *v1alpha1.MCAAttestation) *phase.Halt {
	ready := status.Get(a, v1alpha1.ConditionReady)
	if ready == nil || ready.Reason != ReasonAttestationRefused.Name || ready.ObservedGeneration != a.Generation {
		return nil
	}
	return phase.WaitFor(ReasonAttestationRefused, time.Time{}, "%s", ready.Message)
}

// patchMetadata applies mutate to the object's metadata with a merge patch
// and takes back only the resulting metadata: the status computed in this
// reconcile stays as it is, for the one status write at the end.
func (r *Reconciler) patchMetadata(ctx context.Context, a *v1alpha1.MCAAttestation, mutate func(*v1alpha1.MCAAttestation)) error {
	obj := a.DeepCopy()
	patch := client.MergeFrom(obj.DeepCopy())
	mutate(obj)
	if err := r.Client.Patch(ctx, obj, patch); err != nil {
		return err
	}
	a.ObjectMeta = obj.ObjectMeta
	return nil
}
