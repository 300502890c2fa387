// Kubernetes API schemas for offline, strict validation of rendered manifests (what kubeconform does with
// `-strict`), generated from the API server's own OpenAPI document (api/openapi-spec/swagger.json of the
// k8s.io/kubernetes module). CommonJS with installed packages only, so the ESM scripts and jest can both load it.
'use strict';
const Ajv = require('ajv');

/**
 * Turns swagger.json's definitions into JSON schemas: every object with declared properties refuses any other
 * property (strict), int-or-string and quantities accept both of their JSON forms, descriptions are dropped.
 * Returns { kubernetesVersion, definitions, kinds } where kinds maps "apps/v1/Deployment" to a definition name.
 */
function swaggerToSchemas(swagger) {
  const definitions = {};
  const kinds = {};
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    definitions[name] = convert(definition);
    for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      // A definition listed under several kinds (DeleteOptions, WatchEvent) is no top-level object of its own.
      if (definition.properties?.kind && definition.properties?.metadata) kinds[`${apiVersion}/${gvk.kind}`] = name;
    }
  }
  definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { anyOf: [{ type: 'string' }, { type: 'number' }] };
  return { kubernetesVersion: swagger.info?.version, definitions, kinds };
}

function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    else out[key] = convert(value);
  }
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserveUnknown) out.additionalProperties = false;
  return out;
}

/**
 * A validator over the generated schemas: validate(object) returns a list of problems, empty when the object is a
 * valid instance of its apiVersion and kind. An unknown apiVersion/kind is a problem too.
 */
function createValidator(schemas) {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema({ $id: 'k8s', definitions: schemas.definitions });
  const compiled = new Map();
  return function validate(object) {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) return ['not an object'];
    const key = `${object.apiVersion}/${object.kind}`;
    const definition = schemas.kinds[key];
    if (!definition) return [`unknown apiVersion/kind ${key} (Kubernetes ${schemas.kubernetesVersion})`];
    if (!compiled.has(key)) compiled.set(key, ajv.getSchema(`k8s#/definitions/${definition}`));
    const check = compiled.get(key);
    const problems = [];
    if (!check(object)) {
      for (const error of check.errors) {
        const where = error.instancePath || '/';
        const extra = error.params?.additionalProperty ? ` "${error.params.additionalProperty}"` : '';
        problems.push(`${where}: ${error.message}${extra}`);
      }
    }
    if (!object.metadata?.name) problems.push('/metadata: must have a name');
    // anyOf reports every branch; one line per place is enough.
    return [...new Set(problems)];
  };
}

module.exports = { swaggerToSchemas, createValidator };
