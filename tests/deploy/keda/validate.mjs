// Validates KEDA objects against KEDA's API schemas (@kubernetes-models/keda, generated
// from github.com/kedacore/keda/v2/apis/keda/v1alpha1). Reads a JSON list of objects on
// stdin; prints one line per object, "<kind>/<name>: ok" or its errors; exits 1 on any.
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";

const models = { ScaledObject, TriggerAuthentication };
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let failed = false;
for (const object of JSON.parse(Buffer.concat(chunks).toString())) {
  const name = `${object.kind}/${object.metadata?.name}`;
  const Model = models[object.kind];
  if (!Model || object.apiVersion !== Model.apiVersion) {
    console.log(`${name}: not a KEDA kind this checks (${object.apiVersion})`);
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`${name}: ok`);
  } catch (error) {
    console.log(`${name}: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
