#!/usr/bin/env node
// Loader: compiles the bundle below (in the comment) with V8's code cache. See src/build-code-cache.ts.
// Not strict up here: arguments.callee is the function Node compiled this file into, and its text is the file's, read
// once already (reading the file again costs a run more than the rest of this loader).
(function runBundle(fileText) {
  'use strict';
  const start = fileText.indexOf("/*\u0001db_sentinel bundle\n") + 22;
  const end = fileText.lastIndexOf("\n\u0001*/\n");
  if (start < 22 || end < start) throw new Error(__filename + ': no db_sentinel bundle in this file');
  // The script is the payload without its escapes, as slices of fileText joined: V8 copies it once, to compile it
  // (each replaceAll pass would copy it again, megabytes in the larger bundles); with no escape, one slice.
  let source = '';
  let from = start;
  for (let at = fileText.indexOf('\x01', from); at !== -1 && at < end; at = fileText.indexOf('\x01', from)) {
    const escapedEscape = fileText[at + 1] === 'e'; // else the \x01 of an escaped comment end, between its * and /
    source += fileText.slice(from, escapedEscape ? at + 1 : at);
    from = escapedEscape ? at + 2 : at + 1;
  }
  source += fileText.slice(from, end);
  if (process.execArgv.includes('--build-snapshot')) {
    const v8 = require('v8');
    globalThis[Symbol.for("db_sentinel.startupSnapshot")] = v8.startupSnapshot;
    v8.setFlagsFromString('--no-lazy');
    const eager = new (require('vm').Script)(source, { filename: __filename, lineOffset: 87 });
    v8.setFlagsFromString('--lazy');
    eager.runInThisContext()({}, snapshotRequire, { exports: {} }, __filename, __dirname);
    return;
  }
  // The require of a snapshot build, where Node 18.12 (not 18.17 or 18.20) knows builtins by their bare names only.
  function snapshotRequire(id) {
    try {
      return require(id);
    } catch (error) {
      if (!id.startsWith('node:')) throw error;
      return require(id.slice(5));
    }
  }
  const fs = require('node:fs');
  const vm = require('node:vm');
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  // root's cache lives with the agent's state; any other user's in its own 0700 directory under the temp dir.
  const dir = uid === 0 ? "/var/cache/db_sentinel" : require('node:os').tmpdir() + '/db_sentinel-cache-' + uid;
  const file = dir + '/db_check.' + "2fa08514b13856ef" + '.' + process.version + '.' + process.arch + '.v8cache';
  let cachedData;
  let ours = false;
  try {
    let owner = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (owner === undefined) {
      fs.mkdirSync(dir, { mode: 0o700, recursive: true });
      owner = fs.lstatSync(dir);
    }
    // Only a directory of ours that nobody else can write: a cache file is code that runs as this user.
    ours = owner.isDirectory() && owner.uid === uid && (owner.mode & 0o022) === 0;
    const cache = ours ? fs.lstatSync(file, { throwIfNoEntry: false }) : undefined;
    if (cache && cache.isFile() && cache.uid === uid) cachedData = fs.readFileSync(file);
  } catch (cacheError) {
    ours = false; // no usable cache directory: compile from the text, as without a cache
  }
  const script = new vm.Script(source, {
    filename: __filename,
    lineOffset: 87,
    cachedData,
  });
  // Written at exit, the cache holds every function this run compiled, not only the top level: so only after a run
  // that did the command's work (src/core/completed-run.ts).
  if (ours && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => {
    if (globalThis[Symbol.for("db_sentinel.completedRun")] !== true) return;
    try {
      const temporary = file + '.' + process.pid + '.tmp';
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      fs.renameSync(temporary, file);
      // Other builds' caches of this command (any node) written over a week ago are dead weight: one per deploy
      // would pile up. Newer ones may be another checkout's on the same machine, in use.
      const current = 'db_check.' + "2fa08514b13856ef" + '.';
      const weekAgo = Date.now() - 7 * 86400000;
      for (const name of fs.readdirSync(dir)) {
        if (!name.startsWith('db_check.') || !name.endsWith('.v8cache') || name.startsWith(current)) continue;
        const other = fs.lstatSync(dir + '/' + name, { throwIfNoEntry: false });
        if (other && other.mtimeMs < weekAgo) fs.rmSync(dir + '/' + name, { force: true });
      }
    } catch (cacheError) {
      cachedData = undefined; // the cache could not be written: the next run compiles from the text again
    }
  });
  script.runInThisContext()(exports, require, module, __filename, __dirname);
})(String(arguments.callee));
/*db_sentinel bundle
(function (exports, require, module, __filename, __dirname) {"use strict";
var __getOwnPropNames = Object.getOwnPropertyNames;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};

// js-yaml-as-text:node_modules/js-yaml/dist/js-yaml.min.js
var require_js_yaml_min = __commonJS({
  "js-yaml-as-text:node_modules/js-yaml/dist/js-yaml.min.js"(exports2, module2) {
    new Function("exports", "module", `!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?t(exports):"function"==typeof define&&define.amd?define(["exports"],t):t((e="undefined"!=typeof globalThis?globalThis:e||self).jsyaml={})}(this,function(e){"use strict";function t(e){return e&&e.__esModule&&Object.prototype.hasOwnProperty.call(e,"default")?e.default:e}var n,r,i,o,a,l,u,c,s,p,f,d,h,m,g,y,v,b,A,k,w,x,C,S,I,T,O,j,M,F,E,N,L,_,D,U,q,Y,K,R,H,P,B,W,$={},G={},Z={};function V(){if(n)return Z;function e(t){return(e="function"==typeof Symbol&&"symbol"==typeof Symbol.iterator?function(e){return typeof e}:function(e){return e&&"function"==typeof Symbol&&e.constructor===Symbol&&e!==Symbol.prototype?"symbol":typeof e})(t)}function t(e){return null==e}return n=1,Z.isNothing=t,Z.isObject=function(t){return"object"===e(t)&&null!==t},Z.toArray=function(e){return Array.isArray(e)?e:t(e)?[]:[e]},Z.repeat=function(e,t){for(var n="",r=0;r<t;r+=1)n+=e;return n},Z.isNegativeZero=function(e){return 0===e&&Number.NEGATIVE_INFINITY===1/e},Z.extend=function(e,t){if(t)for(var n=Object.keys(t),r=0,i=n.length;r<i;r+=1){var o=n[r];e[o]=t[o]}return e},Z}function J(){if(i)return r;function e(e,t){var n="",r=e.reason||"(unknown reason)";return e.mark?(e.mark.name&&(n+='in "'+e.mark.name+'" '),n+="("+(e.mark.line+1)+":"+(e.mark.column+1)+")",!t&&e.mark.snippet&&(n+="\\n\\n"+e.mark.snippet),r+" "+n):r}function t(t,n){Error.call(this),this.name="YAMLException",this.reason=t,this.mark=n,this.message=e(this,!1),Error.captureStackTrace?Error.captureStackTrace(this,this.constructor):this.stack=(new Error).stack||""}return i=1,t.prototype=Object.create(Error.prototype),t.prototype.constructor=t,t.prototype.toString=function(t){return this.name+": "+e(this,t)},r=t}function z(){if(u)return l;u=1;var e=J(),t=["kind","multi","resolve","construct","instanceOf","predicate","represent","representName","defaultStyle","styleAliases"],n=["scalar","sequence","mapping"];return l=function(r,i){var o,a;if(i=i||{},Object.keys(i).forEach(function(n){if(-1===t.indexOf(n))throw new e('Unknown option "'+n+'" is met in definition of "'+r+'" YAML type.')}),this.options=i,this.tag=r,this.kind=i.kind||null,this.resolve=i.resolve||function(){return!0},this.construct=i.construct||function(e){return e},this.instanceOf=i.instanceOf||null,this.predicate=i.predicate||null,this.represent=i.represent||null,this.representName=i.representName||null,this.defaultStyle=i.defaultStyle||null,this.multi=i.multi||!1,this.styleAliases=(o=i.styleAliases||null,a={},null!==o&&Object.keys(o).forEach(function(e){o[e].forEach(function(t){a[String(t)]=e})}),a),-1===n.indexOf(this.kind))throw new e('Unknown kind "'+this.kind+'" is specified for "'+r+'" YAML type.')}}function Q(){if(s)return c;s=1;var e=J(),t=z();function n(e,t){var n=[];return e[t].forEach(function(e){var t=n.length;n.forEach(function(n,r){n.tag===e.tag&&n.kind===e.kind&&n.multi===e.multi&&(t=r)}),n[t]=e}),n}function r(e){return this.extend(e)}return r.prototype.extend=function(i){var o=[],a=[];if(i instanceof t)a.push(i);else if(Array.isArray(i))a=a.concat(i);else{if(!i||!Array.isArray(i.implicit)&&!Array.isArray(i.explicit))throw new e("Schema.extend argument should be a Type, [ Type ], or a schema definition ({ implicit: [...], explicit: [...] })");i.implicit&&(o=o.concat(i.implicit)),i.explicit&&(a=a.concat(i.explicit))}o.forEach(function(n){if(!(n instanceof t))throw new e("Specified list of YAML types (or a single Type object) contains a non-Type object.");if(n.loadKind&&"scalar"!==n.loadKind)throw new e("There is a non-scalar type in the implicit list of a schema. Implicit resolving of such types is not supported.");if(n.multi)throw new e("There is a multi type in the implicit list of a schema. Multi tags can only be listed as explicit.")}),a.forEach(function(n){if(!(n instanceof t))throw new e("Specified list of YAML types (or a single Type object) contains a non-Type object.")});var l=Object.create(r.prototype);return l.implicit=(this.implicit||[]).concat(o),l.explicit=(this.explicit||[]).concat(a),l.compiledImplicit=n(l,"implicit"),l.compiledExplicit=n(l,"explicit"),l.compiledTypeMap=function(){var e={scalar:{},sequence:{},mapping:{},fallback:{},multi:{scalar:[],sequence:[],mapping:[],fallback:[]}};function t(t){t.multi?(e.multi[t.kind].push(t),e.multi.fallback.push(t)):e[t.kind][t.tag]=e.fallback[t.tag]=t}for(var n=0,r=arguments.length;n<r;n+=1)arguments[n].forEach(t);return e}(l.compiledImplicit,l.compiledExplicit),l},c=r}function X(){if(f)return p;f=1;var e=z();return p=new e("tag:yaml.org,2002:str",{kind:"scalar",construct:function(e){return null!==e?e:""}})}function ee(){if(h)return d;h=1;var e=z();return d=new e("tag:yaml.org,2002:seq",{kind:"sequence",construct:function(e){return null!==e?e:[]}})}function te(){if(g)return m;g=1;var e=z();return m=new e("tag:yaml.org,2002:map",{kind:"mapping",construct:function(e){return null!==e?e:{}}})}function ne(){if(v)return y;v=1;var e=Q();return y=new e({explicit:[X(),ee(),te()]})}function re(){if(A)return b;A=1;var e=z();return b=new e("tag:yaml.org,2002:null",{kind:"scalar",resolve:function(e){if(null===e)return!0;var t=e.length;return 1===t&&"~"===e||4===t&&("null"===e||"Null"===e||"NULL"===e)},construct:function(){return null},predicate:function(e){return null===e},represent:{canonical:function(){return"~"},lowercase:function(){return"null"},uppercase:function(){return"NULL"},camelcase:function(){return"Null"},empty:function(){return""}},defaultStyle:"lowercase"})}function ie(){if(w)return k;w=1;var e=z();return k=new e("tag:yaml.org,2002:bool",{kind:"scalar",resolve:function(e){if(null===e)return!1;var t=e.length;return 4===t&&("true"===e||"True"===e||"TRUE"===e)||5===t&&("false"===e||"False"===e||"FALSE"===e)},construct:function(e){return"true"===e||"True"===e||"TRUE"===e},predicate:function(e){return"[object Boolean]"===Object.prototype.toString.call(e)},represent:{lowercase:function(e){return e?"true":"false"},uppercase:function(e){return e?"TRUE":"FALSE"},camelcase:function(e){return e?"True":"False"}},defaultStyle:"lowercase"})}function oe(){if(C)return x;C=1;var e=V(),t=z();function n(e){return e>=48&&e<=57||e>=65&&e<=70||e>=97&&e<=102}function r(e){return e>=48&&e<=55}function i(e){return e>=48&&e<=57}function o(e){var t=e,n=1,r=t[0];if("-"!==r&&"+"!==r||("-"===r&&(n=-1),r=(t=t.slice(1))[0]),"0"===t)return 0;if("0"===r){if("b"===t[1])return n*parseInt(t.slice(2),2);if("x"===t[1])return n*parseInt(t.slice(2),16);if("o"===t[1])return n*parseInt(t.slice(2),8)}return n*parseInt(t,10)}return x=new t("tag:yaml.org,2002:int",{kind:"scalar",resolve:function(e){if(null===e)return!1;var t=e.length,a=0,l=!1;if(!t)return!1;var u=e[a];if("-"!==u&&"+"!==u||(u=e[++a]),"0"===u){if(a+1===t)return!0;if("b"===(u=e[++a])){for(a++;a<t;a++){if("0"!==(u=e[a])&&"1"!==u)return!1;l=!0}return l&&isFinite(o(e))}if("x"===u){for(a++;a<t;a++){if(!n(e.charCodeAt(a)))return!1;l=!0}return l&&isFinite(o(e))}if("o"===u){for(a++;a<t;a++){if(!r(e.charCodeAt(a)))return!1;l=!0}return l&&isFinite(o(e))}}for(;a<t;a++){if(!i(e.charCodeAt(a)))return!1;l=!0}return!!l&&isFinite(o(e))},construct:function(e){return o(e)},predicate:function(t){return"[object Number]"===Object.prototype.toString.call(t)&&t%1==0&&!e.isNegativeZero(t)},represent:{binary:function(e){return e>=0?"0b"+e.toString(2):"-0b"+e.toString(2).slice(1)},octal:function(e){return e>=0?"0o"+e.toString(8):"-0o"+e.toString(8).slice(1)},decimal:function(e){return e.toString(10)},hexadecimal:function(e){return e>=0?"0x"+e.toString(16).toUpperCase():"-0x"+e.toString(16).toUpperCase().slice(1)}},defaultStyle:"decimal",styleAliases:{binary:[2,"bin"],octal:[8,"oct"],decimal:[10,"dec"],hexadecimal:[16,"hex"]}})}function ae(){if(I)return S;I=1;var e=V(),t=z(),n=new RegExp("^(?:[-+]?(?:[0-9]+)(?:\\\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\\\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\\\.(?:inf|Inf|INF)|\\\\.(?:nan|NaN|NAN))$"),r=new RegExp("^(?:[-+]?\\\\.(?:inf|Inf|INF)|\\\\.(?:nan|NaN|NAN))$");var i=/^[-+]?[0-9]+e/;return S=new t("tag:yaml.org,2002:float",{kind:"scalar",resolve:function(e){return null!==e&&(!!n.test(e)&&(!!isFinite(parseFloat(e,10))||r.test(e)))},construct:function(e){var t=e.toLowerCase(),n="-"===t[0]?-1:1;return"+-".indexOf(t[0])>=0&&(t=t.slice(1)),".inf"===t?1===n?Number.POSITIVE_INFINITY:Number.NEGATIVE_INFINITY:".nan"===t?NaN:n*parseFloat(t,10)},predicate:function(t){return"[object Number]"===Object.prototype.toString.call(t)&&(t%1!=0||e.isNegativeZero(t))},represent:function(t,n){if(isNaN(t))switch(n){case"lowercase":return".nan";case"uppercase":return".NAN";case"camelcase":return".NaN"}else if(Number.POSITIVE_INFINITY===t)switch(n){case"lowercase":return".inf";case"uppercase":return".INF";case"camelcase":return".Inf"}else if(Number.NEGATIVE_INFINITY===t)switch(n){case"lowercase":return"-.inf";case"uppercase":return"-.INF";case"camelcase":return"-.Inf"}else if(e.isNegativeZero(t))return"-0.0";var r=t.toString(10);return i.test(r)?r.replace("e",".e"):r},defaultStyle:"lowercase"})}function le(){return O?T:(O=1,T=ne().extend({implicit:[re(),ie(),oe(),ae()]}))}function ue(){return M?j:(M=1,j=le())}function ce(){if(E)return F;E=1;var e=z(),t=new RegExp("^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$"),n=new RegExp("^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\\\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\\\.([0-9]*))?(?:[ \\\\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$");return F=new e("tag:yaml.org,2002:timestamp",{kind:"scalar",resolve:function(e){return null!==e&&(null!==t.exec(e)||null!==n.exec(e))},construct:function(e){var r=0,i=null,o=t.exec(e);if(null===o&&(o=n.exec(e)),null===o)throw new Error("Date resolve error");var a=+o[1],l=+o[2]-1,u=+o[3];if(!o[4])return new Date(Date.UTC(a,l,u));var c=+o[4],s=+o[5],p=+o[6];if(o[7]){for(r=o[7].slice(0,3);r.length<3;)r+="0";r=+r}o[9]&&(i=6e4*(60*+o[10]+ +(o[11]||0)),"-"===o[9]&&(i=-i));var f=new Date(Date.UTC(a,l,u,c,s,p,r));return i&&f.setTime(f.getTime()-i),f},instanceOf:Date,represent:function(e){return e.toISOString()}})}function se(){if(L)return N;L=1;var e=z();return N=new e("tag:yaml.org,2002:merge",{kind:"scalar",resolve:function(e){return"<<"===e||null===e}})}function pe(){if(D)return _;D=1;var e=z(),t="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\\n\\r";return _=new e("tag:yaml.org,2002:binary",{kind:"scalar",resolve:function(e){if(null===e)return!1;for(var n=0,r=e.length,i=t,o=0;o<r;o++){var a=i.indexOf(e.charAt(o));if(!(a>64)){if(a<0)return!1;n+=6}}return n%8==0},construct:function(e){for(var n=e.replace(/[\\r\\n=]/g,""),r=n.length,i=t,o=0,a=[],l=0;l<r;l++)l%4==0&&l&&(a.push(o>>16&255),a.push(o>>8&255),a.push(255&o)),o=o<<6|i.indexOf(n.charAt(l));var u=r%4*6;return 0===u?(a.push(o>>16&255),a.push(o>>8&255),a.push(255&o)):18===u?(a.push(o>>10&255),a.push(o>>2&255)):12===u&&a.push(o>>4&255),new Uint8Array(a)},predicate:function(e){return"[object Uint8Array]"===Object.prototype.toString.call(e)},represent:function(e){for(var n="",r=0,i=e.length,o=t,a=0;a<i;a++)a%3==0&&a&&(n+=o[r>>18&63],n+=o[r>>12&63],n+=o[r>>6&63],n+=o[63&r]),r=(r<<8)+e[a];var l=i%3;return 0===l?(n+=o[r>>18&63],n+=o[r>>12&63],n+=o[r>>6&63],n+=o[63&r]):2===l?(n+=o[r>>10&63],n+=o[r>>4&63],n+=o[r<<2&63],n+=o[64]):1===l&&(n+=o[r>>2&63],n+=o[r<<4&63],n+=o[64],n+=o[64]),n}})}function fe(){if(q)return U;q=1;var e=z(),t=Object.prototype.hasOwnProperty,n=Object.prototype.toString;return U=new e("tag:yaml.org,2002:omap",{kind:"sequence",resolve:function(e){if(null===e)return!0;for(var r={},i=e,o=0,a=i.length;o<a;o+=1){var l=i[o],u=!1;if("[object Object]"!==n.call(l))return!1;var c=void 0;for(c in l)if(t.call(l,c)){if(u)return!1;u=!0}if(!u)return!1;if(t.call(r,c))return!1;Object.defineProperty(r,c,{value:!0})}return!0},construct:function(e){return null!==e?e:[]}})}function de(){if(K)return Y;K=1;var e=z(),t=Object.prototype.toString;return Y=new e("tag:yaml.org,2002:pairs",{kind:"sequence",resolve:function(e){if(null===e)return!0;for(var n=e,r=new Array(n.length),i=0,o=n.length;i<o;i+=1){var a=n[i];if("[object Object]"!==t.call(a))return!1;var l=Object.keys(a);if(1!==l.length)return!1;r[i]=[l[0],a[l[0]]]}return!0},construct:function(e){if(null===e)return[];for(var t=e,n=new Array(t.length),r=0,i=t.length;r<i;r+=1){var o=t[r],a=Object.keys(o);n[r]=[a[0],o[a[0]]]}return n}})}function he(){if(H)return R;H=1;var e=z(),t=Object.prototype.hasOwnProperty;return R=new e("tag:yaml.org,2002:set",{kind:"mapping",resolve:function(e){if(null===e)return!0;var n=e;for(var r in n)if(t.call(n,r)&&null!==n[r])return!1;return!0},construct:function(e){return null!==e?e:{}}})}function me(){return B?P:(B=1,P=ue().extend({implicit:[ce(),se()],explicit:[pe(),fe(),de(),he()]}))}function ge(){if(W)return G;function e(t){return(e="function"==typeof Symbol&&"symbol"==typeof Symbol.iterator?function(e){return typeof e}:function(e){return e&&"function"==typeof Symbol&&e.constructor===Symbol&&e!==Symbol.prototype?"symbol":typeof e})(t)}W=1;var t=V(),n=J(),r=function(){if(a)return o;a=1;var e=V();function t(e,t,n,r,i){var o="",a="",l=Math.floor(i/2)-1;return r-t>l&&(t=r-l+(o=" ... ").length),n-r>l&&(n=r+l-(a=" ...").length),{str:o+e.slice(t,n).replace(/\\t/g,"\u2192")+a,pos:r-t+o.length}}function n(t,n){return e.repeat(" ",n-t.length)+t}return o=function(r,i){if(i=Object.create(i||null),!r.buffer)return null;i.maxLength||(i.maxLength=79),"number"!=typeof i.indent&&(i.indent=1),"number"!=typeof i.linesBefore&&(i.linesBefore=3),"number"!=typeof i.linesAfter&&(i.linesAfter=2);for(var o,a=/\\r?\\n|\\r|\\0/g,l=[0],u=[],c=-1;o=a.exec(r.buffer);)u.push(o.index),l.push(o.index+o[0].length),r.position<=o.index&&c<0&&(c=l.length-2);c<0&&(c=l.length-1);for(var s="",p=Math.min(r.line+i.linesAfter,u.length).toString().length,f=i.maxLength-(i.indent+p+3),d=1;d<=i.linesBefore&&!(c-d<0);d++){var h=t(r.buffer,l[c-d],u[c-d],r.position-(l[c]-l[c-d]),f);s=e.repeat(" ",i.indent)+n((r.line-d+1).toString(),p)+" | "+h.str+"\\n"+s}var m=t(r.buffer,l[c],u[c],r.position,f);s+=e.repeat(" ",i.indent)+n((r.line+1).toString(),p)+" | "+m.str+"\\n",s+=e.repeat("-",i.indent+p+3+m.pos)+"^\\n";for(var g=1;g<=i.linesAfter&&!(c+g>=u.length);g++){var y=t(r.buffer,l[c+g],u[c+g],r.position-(l[c]-l[c+g]),f);s+=e.repeat(" ",i.indent)+n((r.line+g+1).toString(),p)+" | "+y.str+"\\n"}return s.replace(/\\n$/,"")}}(),i=me(),l=Object.prototype.hasOwnProperty,u=/[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x84\\x86-\\x9F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?:[^\\uD800-\\uDBFF]|^)[\\uDC00-\\uDFFF]/,c=/[\\x85\\u2028\\u2029]/,s=/[,\\[\\]{}]/,p=/^(?:!|!!|![0-9A-Za-z-]+!)$/,f=/^(?:!|[^,\\[\\]{}])(?:%[0-9a-f]{2}|[0-9a-z\\-#;/?:@&=+$,_.!~*'()\\[\\]])*$/i;function d(e){return Object.prototype.toString.call(e)}function h(e){return 10===e||13===e}function m(e){return 9===e||32===e}function g(e){return 9===e||32===e||10===e||13===e}function y(e){return 44===e||91===e||93===e||123===e||125===e}function v(e){if(e>=48&&e<=57)return e-48;var t=32|e;return t>=97&&t<=102?t-97+10:-1}function b(e){return 120===e?2:117===e?4:85===e?8:0}function A(e){return e>=48&&e<=57?e-48:-1}function k(e){switch(e){case 48:return"\\0";case 97:return"\x07";case 98:return"\\b";case 116:case 9:return"\\t";case 110:return"\\n";case 118:return"\\v";case 102:return"\\f";case 114:return"\\r";case 101:return"\x1B";case 32:return" ";case 34:return'"';case 47:return"/";case 92:return"\\\\";case 78:return"\x85";case 95:return"\xA0";case 76:return"\\u2028";case 80:return"\\u2029";default:return""}}function w(e){return e<=65535?String.fromCharCode(e):String.fromCharCode(55296+(e-65536>>10),56320+(e-65536&1023))}function x(e,t,n){"__proto__"===t?Object.defineProperty(e,t,{configurable:!0,enumerable:!0,writable:!0,value:n}):e[t]=n}for(var C=new Array(256),S=new Array(256),I=0;I<256;I++)C[I]=k(I)?1:0,S[I]=k(I);function T(e,t){this.input=e,this.filename=t.filename||null,this.schema=t.schema||i,this.onWarning=t.onWarning||null,this.legacy=t.legacy||!1,this.json=t.json||!1,this.listener=t.listener||null,this.maxDepth="number"==typeof t.maxDepth?t.maxDepth:100,this.maxTotalMergeKeys="number"==typeof t.maxTotalMergeKeys?t.maxTotalMergeKeys:1e4,this.implicitTypes=this.schema.compiledImplicit,this.typeMap=this.schema.compiledTypeMap,this.length=e.length,this.position=0,this.line=0,this.lineStart=0,this.lineIndent=0,this.depth=0,this.totalMergeKeys=0,this.firstTabInLine=-1,this.documents=[],this.anchorMapTransactions=[]}function O(e,t){var i={name:e.filename,buffer:e.input.slice(0,-1),position:e.position,line:e.line,column:e.position-e.lineStart};return i.snippet=r(i),new n(t,i)}function j(e,t){throw O(e,t)}function M(e,t){e.onWarning&&e.onWarning.call(null,O(e,t))}function F(e,t,n){var r=e.anchorMapTransactions;if(0!==r.length){var i=r[r.length-1];l.call(i,t)||(i[t]={existed:l.call(e.anchorMap,t),value:e.anchorMap[t]})}e.anchorMap[t]=n}function E(e){return{position:e.position,line:e.line,lineStart:e.lineStart,lineIndent:e.lineIndent,firstTabInLine:e.firstTabInLine,tag:e.tag,anchor:e.anchor,kind:e.kind,result:e.result}}function N(e,t){e.position=t.position,e.line=t.line,e.lineStart=t.lineStart,e.lineIndent=t.lineIndent,e.firstTabInLine=t.firstTabInLine,e.tag=t.tag,e.anchor=t.anchor,e.kind=t.kind,e.result=t.result}var L={YAML:function(e,t,n){null!==e.version&&j(e,"duplication of %YAML directive"),1!==n.length&&j(e,"YAML directive accepts exactly one argument");var r=/^([0-9]+)\\.([0-9]+)$/.exec(n[0]);null===r&&j(e,"ill-formed argument of the YAML directive");var i=parseInt(r[1],10),o=parseInt(r[2],10);1!==i&&j(e,"unacceptable YAML version of the document"),e.version=n[0],e.checkLineBreaks=o<2,1!==o&&2!==o&&M(e,"unsupported YAML version of the document")},TAG:function(e,t,n){var r;2!==n.length&&j(e,"TAG directive accepts exactly two arguments");var i=n[0];r=n[1],p.test(i)||j(e,"ill-formed tag handle (first argument) of the TAG directive"),l.call(e.tagMap,i)&&j(e,'there is a previously declared suffix for "'+i+'" tag handle'),f.test(r)||j(e,"ill-formed tag prefix (second argument) of the TAG directive");try{r=decodeURIComponent(r)}catch(t){j(e,"tag prefix is malformed: "+r)}e.tagMap[i]=r}};function _(e,t,n,r){if(t<n){var i=e.input.slice(t,n);if(r)for(var o=0,a=i.length;o<a;o+=1){var l=i.charCodeAt(o);9===l||l>=32&&l<=1114111||j(e,"expected valid JSON character")}else u.test(i)&&j(e,"the stream contains non-printable characters");e.result+=i}}function D(e){e.totalMergeKeys++,-1!==e.maxTotalMergeKeys&&e.totalMergeKeys>e.maxTotalMergeKeys&&j(e,"merge keys exceeded maxTotalMergeKeys ("+e.maxTotalMergeKeys+")")}function U(e,n,r,i){t.isObject(r)||j(e,"cannot merge mappings; the provided source object is unacceptable"),D(e);for(var o=Object.keys(r),a=0,u=o.length;a<u;a+=1){var c=o[a];D(e),l.call(n,c)||(x(n,c,r[c]),i[c]=!0)}}function q(t,n,r,i,o,a,u,c,s){if(Array.isArray(o))for(var p=0,f=(o=Array.prototype.slice.call(o)).length;p<f;p+=1)Array.isArray(o[p])&&j(t,"nested arrays are not supported inside keys"),"object"===e(o)&&"[object Object]"===d(o[p])&&(o[p]="[object Object]");if("object"===e(o)&&"[object Object]"===d(o)&&(o="[object Object]"),o=String(o),null===n&&(n={}),"tag:yaml.org,2002:merge"===i)if(Array.isArray(a)){a.length>100&&j(t,"abnormal merge sequence size");for(var h=0,m=a.length;h<m;h+=1)U(t,n,a[h],r)}else U(t,n,a,r);else t.json||l.call(r,o)||!l.call(n,o)||(t.line=u||t.line,t.lineStart=c||t.lineStart,t.position=s||t.position,j(t,"duplicated mapping key")),x(n,o,a),delete r[o];return n}function Y(e){var t=e.input.charCodeAt(e.position);10===t?e.position++:13===t?(e.position++,10===e.input.charCodeAt(e.position)&&e.position++):j(e,"a line break is expected"),e.line+=1,e.lineStart=e.position,e.firstTabInLine=-1}function K(e,t,n){for(var r=0,i=e.input.charCodeAt(e.position);0!==i;){for(;m(i);)9===i&&-1===e.firstTabInLine&&(e.firstTabInLine=e.position),i=e.input.charCodeAt(++e.position);if(t&&35===i)do{i=e.input.charCodeAt(++e.position)}while(10!==i&&13!==i&&0!==i);if(!h(i))break;for(Y(e),i=e.input.charCodeAt(e.position),r++,e.lineIndent=0;32===i;)e.lineIndent++,i=e.input.charCodeAt(++e.position)}return-1!==n&&0!==r&&e.lineIndent<n&&M(e,"deficient indentation"),r}function R(e){var t=e.position,n=e.input.charCodeAt(t);return!(45!==n&&46!==n||n!==e.input.charCodeAt(t+1)||n!==e.input.charCodeAt(t+2)||(t+=3,0!==(n=e.input.charCodeAt(t))&&!g(n)))}function H(e,n){1===n?e.result+=" ":n>1&&(e.result+=t.repeat("\\n",n-1))}function P(e,t){var n=e.tag,r=e.anchor,i=[],o=!1;if(-1!==e.firstTabInLine)return!1;null!==e.anchor&&F(e,e.anchor,i);for(var a=e.input.charCodeAt(e.position);0!==a&&(-1!==e.firstTabInLine&&(e.position=e.firstTabInLine,j(e,"tab characters must not be used in indentation")),45===a);){if(!g(e.input.charCodeAt(e.position+1)))break;if(o=!0,e.position++,K(e,!0,-1)&&e.lineIndent<=t)i.push(null),a=e.input.charCodeAt(e.position);else{var l=e.line;if(Q(e,t,3,!1,!0),i.push(e.result),K(e,!0,-1),a=e.input.charCodeAt(e.position),(e.line===l||e.lineIndent>t)&&0!==a)j(e,"bad indentation of a sequence entry");else if(e.lineIndent<t)break}}return!!o&&(e.tag=n,e.anchor=r,e.kind="sequence",e.result=i,!0)}function B(e,t,n){var r,i,o,a,l=e.tag,u=e.anchor,c={},s=Object.create(null),p=null,f=null,d=null,h=!1,y=!1;if(-1!==e.firstTabInLine)return!1;null!==e.anchor&&F(e,e.anchor,c);for(var v=e.input.charCodeAt(e.position);0!==v;){h||-1===e.firstTabInLine||(e.position=e.firstTabInLine,j(e,"tab characters must not be used in indentation"));var b=e.input.charCodeAt(e.position+1),A=e.line;if(63!==v&&58!==v||!g(b)){if(i=e.line,o=e.lineStart,a=e.position,!Q(e,n,2,!1,!0))break;if(e.line===A){for(v=e.input.charCodeAt(e.position);m(v);)v=e.input.charCodeAt(++e.position);if(58===v)g(v=e.input.charCodeAt(++e.position))||j(e,"a whitespace character is expected after the key-value separator within a block mapping"),h&&(q(e,c,s,p,f,null,i,o,a),p=f=d=null),y=!0,h=!1,r=!1,p=e.tag,f=e.result;else{if(!y)return e.tag=l,e.anchor=u,!0;j(e,"can not read an implicit mapping pair; a colon is missed")}}else{if(!y)return e.tag=l,e.anchor=u,!0;j(e,"can not read a block mapping entry; a multiline key may not be an implicit key")}}else 63===v?(h&&(q(e,c,s,p,f,null,i,o,a),p=f=d=null),y=!0,h=!0,r=!0):h?(h=!1,r=!0):j(e,"incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line"),e.position+=1,v=b;if((e.line===A||e.lineIndent>t)&&(h&&(i=e.line,o=e.lineStart,a=e.position),Q(e,t,4,!0,r)&&(h?f=e.result:d=e.result),h||(q(e,c,s,p,f,d,i,o,a),p=f=d=null),K(e,!0,-1),v=e.input.charCodeAt(e.position)),(e.line===A||e.lineIndent>t)&&0!==v)j(e,"bad indentation of a mapping entry");else if(e.lineIndent<t)break}return h&&q(e,c,s,p,f,null,i,o,a),y&&(e.tag=l,e.anchor=u,e.kind="mapping",e.result=c),y}function $(e){var t,n,r=!1,i=!1,o=e.input.charCodeAt(e.position);if(33!==o)return!1;null!==e.tag&&j(e,"duplication of a tag property"),60===(o=e.input.charCodeAt(++e.position))?(r=!0,o=e.input.charCodeAt(++e.position)):33===o?(i=!0,t="!!",o=e.input.charCodeAt(++e.position)):t="!";var a=e.position;if(r){do{o=e.input.charCodeAt(++e.position)}while(0!==o&&62!==o);e.position<e.length?(n=e.input.slice(a,e.position),o=e.input.charCodeAt(++e.position)):j(e,"unexpected end of the stream within a verbatim tag")}else{for(;0!==o&&!g(o);)33===o&&(i?j(e,"tag suffix cannot contain exclamation marks"):(t=e.input.slice(a-1,e.position+1),p.test(t)||j(e,"named tag handle cannot contain such characters"),i=!0,a=e.position+1)),o=e.input.charCodeAt(++e.position);n=e.input.slice(a,e.position),s.test(n)&&j(e,"tag suffix cannot contain flow indicator characters")}n&&!f.test(n)&&j(e,"tag name cannot contain such characters: "+n);try{n=decodeURIComponent(n)}catch(t){j(e,"tag name is malformed: "+n)}return r?e.tag=n:l.call(e.tagMap,t)?e.tag=e.tagMap[t]+n:"!"===t?e.tag="!"+n:"!!"===t?e.tag="tag:yaml.org,2002:"+n:j(e,'undeclared tag handle "'+t+'"'),!0}function Z(e){var t=e.input.charCodeAt(e.position);if(38!==t)return!1;null!==e.anchor&&j(e,"duplication of an anchor property"),t=e.input.charCodeAt(++e.position);for(var n=e.position;0!==t&&!g(t)&&!y(t);)t=e.input.charCodeAt(++e.position);return e.position===n&&j(e,"name of an anchor node must contain at least one character"),e.anchor=e.input.slice(n,e.position),!0}function z(e,t,n,r){var i=E(e);return function(e){e.anchorMapTransactions.push(Object.create(null))}(e),N(e,t),e.tag=null,e.anchor=null,e.kind=null,e.result=null,B(e,n,r)&&"mapping"===e.kind?(function(e){var t=e.anchorMapTransactions.pop(),n=e.anchorMapTransactions;if(0!==n.length)for(var r=n[n.length-1],i=Object.keys(t),o=0,a=i.length;o<a;o+=1){var u=i[o];l.call(r,u)||(r[u]=t[u])}}(e),!0):(function(e){for(var t=e.anchorMapTransactions.pop(),n=Object.keys(t),r=n.length-1;r>=0;r-=1){var i=t[n[r]];i.existed?e.anchorMap[n[r]]=i.value:delete e.anchorMap[n[r]]}}(e),N(e,i),!1)}function Q(e,n,r,i,o){var a,u,c,s,p,f=1,d=!1,k=!1,x=null;e.depth>=e.maxDepth&&j(e,"nesting exceeded maxDepth ("+e.maxDepth+")"),e.depth+=1,null!==e.listener&&e.listener("open",e),e.tag=null,e.anchor=null,e.kind=null,e.result=null;var I=a=u=4===r||3===r;if(i&&K(e,!0,-1)&&(d=!0,e.lineIndent>n?f=1:e.lineIndent===n?f=0:e.lineIndent<n&&(f=-1)),1===f)for(;;){var T=e.input.charCodeAt(e.position),O=E(e);if(d&&(33===T&&null!==e.tag||38===T&&null!==e.anchor))break;if(!$(e)&&!Z(e))break;null===x&&(x=O),K(e,!0,-1)?(d=!0,u=I,e.lineIndent>n?f=1:e.lineIndent===n?f=0:e.lineIndent<n&&(f=-1)):u=!1}if(u&&(u=d||o),1===f||4===r)if(s=1===r||2===r?n:n+1,p=e.position-e.lineStart,1===f)if(u&&(P(e,p)||B(e,p,s))||function(e,t){var n,r,i,o,a,l,u,c,s,p,f,d=!0,h=e.tag,m=e.anchor,y=Object.create(null),v=e.input.charCodeAt(e.position);if(91===v)a=93,c=!1,o=[];else{if(123!==v)return!1;a=125,c=!0,o={}}for(null!==e.anchor&&F(e,e.anchor,o),v=e.input.charCodeAt(++e.position);0!==v;){if(K(e,!0,t),(v=e.input.charCodeAt(e.position))===a)return e.position++,e.tag=h,e.anchor=m,e.kind=c?"mapping":"sequence",e.result=o,!0;d?44===v&&j(e,"expected the node content, but found ','"):j(e,"missed comma between flow collection entries"),f=null,l=u=!1,63===v&&g(e.input.charCodeAt(e.position+1))&&(l=u=!0,e.position++,K(e,!0,t)),n=e.line,r=e.lineStart,i=e.position,Q(e,t,1,!1,!0),p=e.tag,s=e.result,K(e,!0,t),v=e.input.charCodeAt(e.position),!u&&e.line!==n||58!==v||(l=!0,v=e.input.charCodeAt(++e.position),K(e,!0,t),Q(e,t,1,!1,!0),f=e.result),c?q(e,o,y,p,s,f,n,r,i):l?o.push(q(e,null,y,p,s,f,n,r,i)):o.push(s),K(e,!0,t),44===(v=e.input.charCodeAt(e.position))?(d=!0,v=e.input.charCodeAt(++e.position)):d=!1}j(e,"unexpected end of the stream within a flow collection")}(e,s))k=!0;else{var M=e.input.charCodeAt(e.position);null!==x&&I&&!u&&124!==M&&62!==M&&z(e,x,x.position-x.lineStart,s)||a&&function(e,n){var r,i,o=1,a=!1,l=!1,u=n,c=0,s=!1,p=e.input.charCodeAt(e.position);if(124===p)r=!1;else{if(62!==p)return!1;r=!0}for(e.kind="scalar",e.result="";0!==p;)if(43===(p=e.input.charCodeAt(++e.position))||45===p)1===o?o=43===p?3:2:j(e,"repeat of a chomping mode identifier");else{if(!((i=A(p))>=0))break;0===i?j(e,"bad explicit indentation width of a block scalar; it cannot be less than one"):l?j(e,"repeat of an indentation width identifier"):(u=n+i-1,l=!0)}if(m(p)){do{p=e.input.charCodeAt(++e.position)}while(m(p));if(35===p)do{p=e.input.charCodeAt(++e.position)}while(!h(p)&&0!==p)}for(;0!==p;){for(Y(e),e.lineIndent=0,p=e.input.charCodeAt(e.position);(!l||e.lineIndent<u)&&32===p;)e.lineIndent++,p=e.input.charCodeAt(++e.position);if(!l&&e.lineIndent>u&&(u=e.lineIndent),h(p))c++;else{if(l||0!==u||j(e,"missing indentation for block scalar"),e.lineIndent<u){3===o?e.result+=t.repeat("\\n",a?1+c:c):1===o&&a&&(e.result+="\\n");break}r?m(p)?(s=!0,e.result+=t.repeat("\\n",a?1+c:c)):s?(s=!1,e.result+=t.repeat("\\n",c+1)):0===c?a&&(e.result+=" "):e.result+=t.repeat("\\n",c):e.result+=t.repeat("\\n",a?1+c:c),a=!0,l=!0,c=0;for(var f=e.position;!h(p)&&0!==p;)p=e.input.charCodeAt(++e.position);_(e,f,e.position,!1)}}return!0}(e,s)||function(e,t){var n,r,i=e.input.charCodeAt(e.position);if(39!==i)return!1;for(e.kind="scalar",e.result="",e.position++,n=r=e.position;0!==(i=e.input.charCodeAt(e.position));)if(39===i){if(_(e,n,e.position,!0),39!==(i=e.input.charCodeAt(++e.position)))return!0;n=e.position,e.position++,r=e.position}else h(i)?(_(e,n,r,!0),H(e,K(e,!1,t)),n=r=e.position):e.position===e.lineStart&&R(e)?j(e,"unexpected end of the document within a single quoted scalar"):(e.position++,m(i)||(r=e.position));j(e,"unexpected end of the stream within a single quoted scalar")}(e,s)||function(e,t){var n,r,i,o=e.input.charCodeAt(e.position);if(34!==o)return!1;for(e.kind="scalar",e.result="",e.position++,n=r=e.position;0!==(o=e.input.charCodeAt(e.position));){if(34===o)return _(e,n,e.position,!0),e.position++,!0;if(92===o){if(_(e,n,e.position,!0),h(o=e.input.charCodeAt(++e.position)))K(e,!1,t);else if(o<256&&C[o])e.result+=S[o],e.position++;else if((i=b(o))>0){for(var a=i,l=0;a>0;a--)(i=v(o=e.input.charCodeAt(++e.position)))>=0?l=(l<<4)+i:j(e,"expected hexadecimal character");e.result+=w(l),e.position++}else j(e,"unknown escape sequence");n=r=e.position}else h(o)?(_(e,n,r,!0),H(e,K(e,!1,t)),n=r=e.position):e.position===e.lineStart&&R(e)?j(e,"unexpected end of the document within a double quoted scalar"):(e.position++,m(o)||(r=e.position))}j(e,"unexpected end of the stream within a double quoted scalar")}(e,s)?k=!0:!function(e){var t=e.input.charCodeAt(e.position);if(42!==t)return!1;t=e.input.charCodeAt(++e.position);for(var n=e.position;0!==t&&!g(t)&&!y(t);)t=e.input.charCodeAt(++e.position);e.position===n&&j(e,"name of an alias node must contain at least one character");var r=e.input.slice(n,e.position);return l.call(e.anchorMap,r)||j(e,'unidentified alias "'+r+'"'),e.result=e.anchorMap[r],K(e,!0,-1),!0}(e)?function(e,t,n){var r,i,o,a,l,u,c=e.kind,s=e.result,p=e.input.charCodeAt(e.position);if(g(p)||y(p)||35===p||38===p||42===p||33===p||124===p||62===p||39===p||34===p||37===p||64===p||96===p)return!1;if(63===p||45===p){var f=e.input.charCodeAt(e.position+1);if(g(f)||n&&y(f))return!1}for(e.kind="scalar",e.result="",r=i=e.position,o=!1;0!==p;){if(58===p){var d=e.input.charCodeAt(e.position+1);if(g(d)||n&&y(d))break}else if(35===p){if(g(e.input.charCodeAt(e.position-1)))break}else{if(e.position===e.lineStart&&R(e)||n&&y(p))break;if(h(p)){if(a=e.line,l=e.lineStart,u=e.lineIndent,K(e,!1,-1),e.lineIndent>=t){o=!0,p=e.input.charCodeAt(e.position);continue}e.position=i,e.line=a,e.lineStart=l,e.lineIndent=u;break}}o&&(_(e,r,i,!1),H(e,e.line-a),r=i=e.position,o=!1),m(p)||(i=e.position+1),p=e.input.charCodeAt(++e.position)}return _(e,r,i,!1),!!e.result||(e.kind=c,e.result=s,!1)}(e,s,1===r)&&(k=!0,null===e.tag&&(e.tag="?")):(k=!0,null===e.tag&&null===e.anchor||j(e,"alias node should not have any properties")),null!==e.anchor&&F(e,e.anchor,e.result)}else 0===f&&(k=u&&P(e,p));if(null===e.tag)null!==e.anchor&&F(e,e.anchor,e.result);else if("?"===e.tag){null!==e.result&&"scalar"!==e.kind&&j(e,'unacceptable node kind for !<?> tag; it should be "scalar", not "'+e.kind+'"');for(var N=0,L=e.implicitTypes.length;N<L;N+=1)if((c=e.implicitTypes[N]).resolve(e.result)){e.result=c.construct(e.result),e.tag=c.tag,null!==e.anchor&&F(e,e.anchor,e.result);break}}else if("!"!==e.tag){if(l.call(e.typeMap[e.kind||"fallback"],e.tag))c=e.typeMap[e.kind||"fallback"][e.tag];else{c=null;for(var D=e.typeMap.multi[e.kind||"fallback"],U=0,W=D.length;U<W;U+=1)if(e.tag.slice(0,D[U].tag.length)===D[U].tag){c=D[U];break}}c||j(e,"unknown tag !<"+e.tag+">"),null!==e.result&&c.kind!==e.kind&&j(e,"unacceptable node kind for !<"+e.tag+'> tag; it should be "'+c.kind+'", not "'+e.kind+'"'),c.resolve(e.result,e.tag)?(e.result=c.construct(e.result,e.tag),null!==e.anchor&&F(e,e.anchor,e.result)):j(e,"cannot resolve a node with !<"+e.tag+"> explicit tag")}return null!==e.listener&&e.listener("close",e),e.depth-=1,null!==e.tag||null!==e.anchor||k}function X(e){var t,n=e.position,r=!1;for(e.version=null,e.checkLineBreaks=e.legacy,e.tagMap=Object.create(null),e.anchorMap=Object.create(null);0!==(t=e.input.charCodeAt(e.position))&&(K(e,!0,-1),t=e.input.charCodeAt(e.position),!(e.lineIndent>0||37!==t));){r=!0,t=e.input.charCodeAt(++e.position);for(var i=e.position;0!==t&&!g(t);)t=e.input.charCodeAt(++e.position);var o=e.input.slice(i,e.position),a=[];for(o.length<1&&j(e,"directive name must not be less than one character in length");0!==t;){for(;m(t);)t=e.input.charCodeAt(++e.position);if(35===t){do{t=e.input.charCodeAt(++e.position)}while(0!==t&&!h(t));break}if(h(t))break;for(i=e.position;0!==t&&!g(t);)t=e.input.charCodeAt(++e.position);a.push(e.input.slice(i,e.position))}0!==t&&Y(e),l.call(L,o)?L[o](e,o,a):M(e,'unknown document directive "'+o+'"')}K(e,!0,-1),0===e.lineIndent&&45===e.input.charCodeAt(e.position)&&45===e.input.charCodeAt(e.position+1)&&45===e.input.charCodeAt(e.position+2)?(e.position+=3,K(e,!0,-1)):r&&j(e,"directives end mark is expected"),Q(e,e.lineIndent-1,4,!1,!0),K(e,!0,-1),e.checkLineBreaks&&c.test(e.input.slice(n,e.position))&&M(e,"non-ASCII line breaks are interpreted as content"),e.documents.push(e.result),e.position===e.lineStart&&R(e)?46===e.input.charCodeAt(e.position)&&(e.position+=3,K(e,!0,-1)):e.position<e.length-1&&j(e,"end of the stream or a document separator is expected")}function ee(e,t){t=t||{},0!==(e=String(e)).length&&(10!==e.charCodeAt(e.length-1)&&13!==e.charCodeAt(e.length-1)&&(e+="\\n"),65279===e.charCodeAt(0)&&(e=e.slice(1)));var n=new T(e,t),r=e.indexOf("\\0");for(-1!==r&&(n.position=r,j(n,"null byte is not allowed in input")),n.input+="\\0";32===n.input.charCodeAt(n.position);)n.lineIndent+=1,n.position+=1;for(;n.position<n.length-1;)X(n);return n.documents}return G.loadAll=function(t,n,r){null!==n&&"object"===e(n)&&void 0===r&&(r=n,n=null);var i=ee(t,r);if("function"!=typeof n)return i;for(var o=0,a=i.length;o<a;o+=1)n(i[o])},G.load=function(e,t){var r=ee(e,t);if(0!==r.length){if(1===r.length)return r[0];throw new n("expected a single document in the stream, but found more")}},G}var ye,ve,be={};function Ae(){if(ye)return be;function e(t){return(e="function"==typeof Symbol&&"symbol"==typeof Symbol.iterator?function(e){return typeof e}:function(e){return e&&"function"==typeof Symbol&&e.constructor===Symbol&&e!==Symbol.prototype?"symbol":typeof e})(t)}ye=1;var t=V(),n=J(),r=me(),i=Object.prototype.toString,o=Object.prototype.hasOwnProperty,a=65279,l={0:"\\\\0",7:"\\\\a",8:"\\\\b",9:"\\\\t",10:"\\\\n",11:"\\\\v",12:"\\\\f",13:"\\\\r",27:"\\\\e",34:'\\\\"',92:"\\\\\\\\",133:"\\\\N",160:"\\\\_",8232:"\\\\L",8233:"\\\\P"},u=["y","Y","yes","Yes","YES","on","On","ON","n","N","no","No","NO","off","Off","OFF"],c=/^[-+]?[0-9_]+(?::[0-9_]+)+(?:\\.[0-9_]*)?$/;function s(e){var r,i,o=e.toString(16).toUpperCase();if(e<=255)r="x",i=2;else if(e<=65535)r="u",i=4;else{if(!(e<=4294967295))throw new n("code point within a string may not be greater than 0xFFFFFFFF");r="U",i=8}return"\\\\"+r+t.repeat("0",i-o.length)+o}function p(e){this.schema=e.schema||r,this.indent=Math.max(1,e.indent||2),this.noArrayIndent=e.noArrayIndent||!1,this.skipInvalid=e.skipInvalid||!1,this.flowLevel=t.isNothing(e.flowLevel)?-1:e.flowLevel,this.styleMap=function(e,t){if(null===t)return{};for(var n={},r=Object.keys(t),i=0,a=r.length;i<a;i+=1){var l=r[i],u=String(t[l]);"!!"===l.slice(0,2)&&(l="tag:yaml.org,2002:"+l.slice(2));var c=e.compiledTypeMap.fallback[l];c&&o.call(c.styleAliases,u)&&(u=c.styleAliases[u]),n[l]=u}return n}(this.schema,e.styles||null),this.sortKeys=e.sortKeys||!1,this.lineWidth=e.lineWidth||80,this.noRefs=e.noRefs||!1,this.noCompatMode=e.noCompatMode||!1,this.condenseFlow=e.condenseFlow||!1,this.quotingType='"'===e.quotingType?2:1,this.forceQuotes=e.forceQuotes||!1,this.replacer="function"==typeof e.replacer?e.replacer:null,this.implicitTypes=this.schema.compiledImplicit,this.explicitTypes=this.schema.compiledExplicit,this.tag=null,this.result="",this.duplicates=[],this.usedDuplicates=null}function f(e,n){for(var r=t.repeat(" ",n),i=0,o="",a=e.length;i<a;){var l=void 0,u=e.indexOf("\\n",i);-1===u?(l=e.slice(i),i=a):(l=e.slice(i,u+1),i=u+1),l.length&&"\\n"!==l&&(o+=r),o+=l}return o}function d(e,n){return"\\n"+t.repeat(" ",e.indent*n)}function h(e){return 32===e||9===e}function m(e){return e>=32&&e<=126||e>=161&&e<=55295&&8232!==e&&8233!==e||e>=57344&&e<=65533&&e!==a||e>=65536&&e<=1114111}function g(e){return m(e)&&e!==a&&13!==e&&10!==e}function y(e,t,n){var r=g(e),i=r&&!h(e);return(n?r:r&&44!==e&&91!==e&&93!==e&&123!==e&&125!==e)&&35!==e&&!(58===t&&!i)||g(t)&&!h(t)&&35===e||58===t&&i}function v(e,t){var n,r=e.charCodeAt(t);return r>=55296&&r<=56319&&t+1<e.length&&(n=e.charCodeAt(t+1))>=56320&&n<=57343?1024*(r-55296)+n-56320+65536:r}function b(e){return/^\\n* /.test(e)}function A(e,t,n,r,i,o,l,u){var c,s,p=0,f=null,d=!1,g=!1,A=-1!==r,k=-1,w=m(s=v(e,0))&&s!==a&&!h(s)&&45!==s&&63!==s&&58!==s&&44!==s&&91!==s&&93!==s&&123!==s&&125!==s&&35!==s&&38!==s&&42!==s&&33!==s&&124!==s&&61!==s&&62!==s&&39!==s&&34!==s&&37!==s&&64!==s&&96!==s&&function(e){return!h(e)&&58!==e}(v(e,e.length-1));if(t||l)for(c=0;c<e.length;p>=65536?c+=2:c++){if(!m(p=v(e,c)))return 5;w=w&&y(p,f,u),f=p}else{for(c=0;c<e.length;p>=65536?c+=2:c++){if(10===(p=v(e,c)))d=!0,A&&(g=g||c-k-1>r&&" "!==e[k+1],k=c);else if(!m(p))return 5;w=w&&y(p,f,u),f=p}g=g||A&&c-k-1>r&&" "!==e[k+1]}return d||g?n>9&&b(e)?5:l?2===o?5:2:g?4:3:!w||l||i(e)?2===o?5:2:1}function k(e,t,r,i,o){e.dump=function(){if(0===t.length)return 2===e.quotingType?'""':"''";if(!e.noCompatMode&&(-1!==u.indexOf(t)||c.test(t)))return 2===e.quotingType?'"'+t+'"':"'"+t+"'";var a=e.indent*Math.max(1,r),p=-1===e.lineWidth?-1:Math.max(Math.min(e.lineWidth,40),e.lineWidth-a),d=i||e.flowLevel>-1&&r>=e.flowLevel;switch(A(t,d,e.indent,p,function(t){return function(e,t){for(var n=0,r=e.implicitTypes.length;n<r;n+=1)if(e.implicitTypes[n].resolve(t))return!0;return!1}(e,t)},e.quotingType,e.forceQuotes&&!i,o)){case 1:return t;case 2:return"'"+t.replace(/'/g,"''")+"'";case 3:return"|"+w(t,e.indent)+x(f(t,a));case 4:return">"+w(t,e.indent)+x(f(function(e,t){var n,r,i=/(\\n+)([^\\n]*)/g,o=(l=e.indexOf("\\n"),l=-1!==l?l:e.length,i.lastIndex=l,C(e.slice(0,l),t)),a="\\n"===e[0]||" "===e[0];var l;for(;r=i.exec(e);){var u=r[1],c=r[2];n=" "===c[0],o+=u+(a||n||""===c?"":"\\n")+C(c,t),a=n}return o}(t,p),a));case 5:return'"'+function(e){for(var t="",n=0,r=0;r<e.length;n>=65536?r+=2:r++){n=v(e,r);var i=l[n];!i&&m(n)?(t+=e[r],n>=65536&&(t+=e[r+1])):t+=i||s(n)}return t}(t)+'"';default:throw new n("impossible error: invalid scalar style")}}()}function w(e,t){var n=b(e)?String(t):"",r="\\n"===e[e.length-1];return n+(r&&("\\n"===e[e.length-2]||"\\n"===e)?"+":r?"":"-")+"\\n"}function x(e){return"\\n"===e[e.length-1]?e.slice(0,-1):e}function C(e,t){if(""===e||" "===e[0])return e;for(var n,r,i=/ [^ ]/g,o=0,a=0,l=0,u="";n=i.exec(e);)(l=n.index)-o>t&&(r=a>o?a:l,u+="\\n"+e.slice(o,r),o=r+1),a=l;return u+="\\n",e.length-o>t&&a>o?u+=e.slice(o,a)+"\\n"+e.slice(a+1):u+=e.slice(o),u.slice(1)}function S(e,t,n,r){for(var i="",o=e.tag,a=0,l=n.length;a<l;a+=1){var u=n[a];e.replacer&&(u=e.replacer.call(n,String(a),u)),(T(e,t+1,u,!0,!0,!1,!0)||void 0===u&&T(e,t+1,null,!0,!0,!1,!0))&&(r&&""===i||(i+=d(e,t)),e.dump&&10===e.dump.charCodeAt(0)?i+="-":i+="- ",i+=e.dump)}e.tag=o,e.dump=i||"[]"}function I(t,r,a){for(var l=a?t.explicitTypes:t.implicitTypes,u=0,c=l.length;u<c;u+=1){var s=l[u];if((s.instanceOf||s.predicate)&&(!s.instanceOf||"object"===e(r)&&r instanceof s.instanceOf)&&(!s.predicate||s.predicate(r))){if(a?s.multi&&s.representName?t.tag=s.representName(r):t.tag=s.tag:t.tag="?",s.represent){var p=t.styleMap[s.tag]||s.defaultStyle,f=void 0;if("[object Function]"===i.call(s.represent))f=s.represent(r,p);else{if(!o.call(s.represent,p))throw new n("!<"+s.tag+'> tag resolver accepts not "'+p+'" style');f=s.represent[p](r,p)}t.dump=f}return!0}}return!1}function T(e,t,r,o,a,l,u){e.tag=null,e.dump=r,I(e,r,!1)||I(e,r,!0);var c=i.call(e.dump),s=o;o&&(o=e.flowLevel<0||e.flowLevel>t);var p,f,h="[object Object]"===c||"[object Array]"===c;if(h&&(f=-1!==(p=e.duplicates.indexOf(r))),(null!==e.tag&&"?"!==e.tag||f||2!==e.indent&&t>0)&&(a=!1),f&&e.usedDuplicates[p])e.dump="*ref_"+p;else{if(h&&f&&!e.usedDuplicates[p]&&(e.usedDuplicates[p]=!0),"[object Object]"===c)o&&0!==Object.keys(e.dump).length?(!function(e,t,r,i){var o="",a=e.tag,l=Object.keys(r);if(!0===e.sortKeys)l.sort();else if("function"==typeof e.sortKeys)l.sort(e.sortKeys);else if(e.sortKeys)throw new n("sortKeys must be a boolean or a function");for(var u=0,c=l.length;u<c;u+=1){var s="";i&&""===o||(s+=d(e,t));var p=l[u],f=r[p];if(e.replacer&&(f=e.replacer.call(r,p,f)),T(e,t+1,p,!0,!0,!0)){var h=null!==e.tag&&"?"!==e.tag||e.dump&&e.dump.length>1024;h&&(e.dump&&10===e.dump.charCodeAt(0)?s+="?":s+="? "),s+=e.dump,h&&(s+=d(e,t)),T(e,t+1,f,!0,h)&&(e.dump&&10===e.dump.charCodeAt(0)?s+=":":s+=": ",o+=s+=e.dump)}}e.tag=a,e.dump=o||"{}"}(e,t,e.dump,a),f&&(e.dump="&ref_"+p+e.dump)):(!function(e,t,n){for(var r="",i=e.tag,o=Object.keys(n),a=0,l=o.length;a<l;a+=1){var u="";""!==r&&(u+=", "),e.condenseFlow&&(u+='"');var c=o[a],s=n[c];e.replacer&&(s=e.replacer.call(n,c,s)),T(e,t,c,!1,!1)&&(e.dump.length>1024&&(u+="? "),u+=e.dump+(e.condenseFlow?'"':"")+":"+(e.condenseFlow?"":" "),T(e,t,s,!1,!1)&&(r+=u+=e.dump))}e.tag=i,e.dump="{"+r+"}"}(e,t,e.dump),f&&(e.dump="&ref_"+p+" "+e.dump));else if("[object Array]"===c)o&&0!==e.dump.length?(e.noArrayIndent&&!u&&t>0?S(e,t-1,e.dump,a):S(e,t,e.dump,a),f&&(e.dump="&ref_"+p+e.dump)):(!function(e,t,n){for(var r="",i=e.tag,o=0,a=n.length;o<a;o+=1){var l=n[o];e.replacer&&(l=e.replacer.call(n,String(o),l)),(T(e,t,l,!1,!1)||void 0===l&&T(e,t,null,!1,!1))&&(""!==r&&(r+=","+(e.condenseFlow?"":" ")),r+=e.dump)}e.tag=i,e.dump="["+r+"]"}(e,t,e.dump),f&&(e.dump="&ref_"+p+" "+e.dump));else{if("[object String]"!==c){if("[object Undefined]"===c)return!1;if(e.skipInvalid)return!1;throw new n("unacceptable kind of an object to dump "+c)}"?"!==e.tag&&k(e,e.dump,t,l,s)}if(null!==e.tag&&"?"!==e.tag){var m=encodeURI("!"===e.tag[0]?e.tag.slice(1):e.tag).replace(/!/g,"%21");m="!"===e.tag[0]?"!"+m:"tag:yaml.org,2002:"===m.slice(0,18)?"!!"+m.slice(18):"!<"+m+">",e.dump=m+" "+e.dump}}return!0}function O(e,t){var n=[],r=[];j(e,n,r);for(var i=r.length,o=0;o<i;o+=1)t.duplicates.push(n[r[o]]);t.usedDuplicates=new Array(i)}function j(t,n,r){if(null!==t&&"object"===e(t)){var i=n.indexOf(t);if(-1!==i)-1===r.indexOf(i)&&r.push(i);else if(n.push(t),Array.isArray(t))for(var o=0,a=t.length;o<a;o+=1)j(t[o],n,r);else for(var l=Object.keys(t),u=0,c=l.length;u<c;u+=1)j(t[l[u]],n,r)}}return be.dump=function(e,t){var n=new p(t=t||{});n.noRefs||O(e,n);var r=e;return n.replacer&&(r=n.replacer.call({"":r},"",r)),T(n,0,r,!0,!0)?n.dump+"\\n":""},be}var ke=t(function(){if(ve)return $;ve=1;var e=ge(),t=Ae();function n(e,t){return function(){throw new Error("Function yaml."+e+" is removed in js-yaml 4. Use yaml."+t+" instead, which is now safe by default.")}}return $.Type=z(),$.Schema=Q(),$.FAILSAFE_SCHEMA=ne(),$.JSON_SCHEMA=le(),$.CORE_SCHEMA=ue(),$.DEFAULT_SCHEMA=me(),$.load=e.load,$.loadAll=e.loadAll,$.dump=t.dump,$.YAMLException=J(),$.types={binary:pe(),float:ae(),map:te(),null:re(),pairs:de(),set:he(),timestamp:ce(),bool:ie(),int:oe(),merge:se(),omap:fe(),seq:ee(),str:X()},$.safeLoad=n("safeLoad","load"),$.safeLoadAll=n("safeLoadAll","loadAll"),$.safeDump=n("safeDump","dump"),$}()),we=ke.Type,xe=ke.Schema,Ce=ke.FAILSAFE_SCHEMA,Se=ke.JSON_SCHEMA,Ie=ke.CORE_SCHEMA,Te=ke.DEFAULT_SCHEMA,Oe=ke.load,je=ke.loadAll,Me=ke.dump,Fe=ke.YAMLException,Ee=ke.types,Ne=ke.safeLoad,Le=ke.safeLoadAll,_e=ke.safeDump;e.CORE_SCHEMA=Ie,e.DEFAULT_SCHEMA=Te,e.FAILSAFE_SCHEMA=Ce,e.JSON_SCHEMA=Se,e.Schema=xe,e.Type=we,e.YAMLException=Fe,e.default=ke,e.dump=Me,e.load=Oe,e.loadAll=je,e.safeDump=_e,e.safeLoad=Ne,e.safeLoadAll=Le,e.types=Ee,Object.defineProperty(e,"__esModule",{value:!0})});
`)(exports2, module2);
  }
});

// src/cli/db_check.ts
var import_node_fs6 = require("node:fs");
var import_node_os3 = require("node:os");
var import_node_path2 = require("node:path");

// src/core/errors.ts
var DbSentinelError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
};
var ParseError = class extends DbSentinelError {
};
var CommandError = class extends DbSentinelError {
  command;
  failure;
  constructor(command, failure, message, options) {
    super(message, options);
    this.command = command;
    this.failure = failure;
  }
};
var ConfigError = class extends DbSentinelError {
  keyPath;
  constructor(keyPath, message, options) {
    super(`config: ${keyPath}: ${message}`, options);
    this.keyPath = keyPath;
  }
};
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}

// src/sources/fsroot.ts
var HOST_ROOTS = { proc: "/proc", sys: "/sys" };

// src/core/status.ts
var EXIT_CODE = { ok: 0, warning: 1, critical: 2, unknown: 3 };
var SEVERITY = { ok: 0, unknown: 1, warning: 2, critical: 3 };
function worstStatus(statuses) {
  let worst = "ok";
  for (const status of statuses) {
    if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  }
  return worst;
}
function gradeAbove(value, warning, critical) {
  if (value >= critical) return "critical";
  if (value >= warning) return "warning";
  return "ok";
}

// src/checks/format.ts
function round(value, digits = 2) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
function formatNumber(value, digits = 2) {
  return String(round(value, digits));
}

// src/checks/devices.ts
function checkDevices(devices, measure, thresholds) {
  const bounds = `warning >= ${thresholds.warning}${measure.unit}, critical >= ${thresholds.critical}${measure.unit}`;
  if (devices.length === 0) {
    return {
      name: measure.name,
      status: "unknown",
      value: null,
      message: "iostat reported no block devices (after check.ignore_devices)"
    };
  }
  const details = devices.map((device) => {
    const value = measure.read(device);
    const status2 = gradeAbove(value, thresholds.warning, thresholds.critical);
    return { subject: device.device, status: status2, value, message: `${measure.label} ${formatNumber(value)}${measure.unit}` };
  });
  const status = worstStatus(details.map((detail) => detail.status));
  const worst = details.reduce((a, b) => (b.value ?? 0) > (a.value ?? 0) ? b : a);
  const flagged = details.filter((detail) => detail.status !== "ok");
  const message = flagged.length > 0 ? `${flagged.map((detail) => `${detail.subject} ${formatNumber(detail.value ?? 0)}${measure.unit}`).join(", ")} (${bounds})` : `worst ${worst.subject} ${formatNumber(worst.value ?? 0)}${measure.unit} of ${details.length} device${details.length === 1 ? "" : "s"} (${bounds})`;
  return {
    name: measure.name,
    status,
    message,
    value: worst.value,
    unit: measure.unit,
    warning: thresholds.warning,
    critical: thresholds.critical,
    details
  };
}

// src/checks/disk-await.ts
function checkDiskAwait(devices, thresholds) {
  return checkDevices(
    devices,
    { name: "disk_await", unit: "ms", label: "await", read: (device) => device.await_ms },
    thresholds
  );
}

// src/checks/disk-util.ts
function checkDiskUtil(devices, thresholds) {
  return checkDevices(
    devices,
    { name: "disk_util", unit: "%", label: "%util", read: (device) => device.utilization_percent },
    thresholds
  );
}

// src/collectors/collector.ts
function msToSeconds(ms) {
  return Math.round(ms * 1e6) / 1e9;
}

// src/parsers/os/table.ts
var DECIMAL = /^\d+(?:\.\d+)?$/;
function readDecimal(tool, field, column, line) {
  if (!DECIMAL.test(field)) {
    throw new ParseError(`${tool}: column ${column} is not a number (${JSON.stringify(field)}) in line ${JSON.stringify(line)}`);
  }
  return Number(field);
}
function splitFields(line) {
  return line.trim().split(/\s+/).filter((field) => field !== "");
}
function rowByName(tool, columns, line) {
  const fields = splitFields(line);
  if (fields.length !== columns.length) {
    throw new ParseError(
      `${tool}: unreadable line ${JSON.stringify(line)} (${fields.length} fields, the header has ${columns.length})`
    );
  }
  return new Map(columns.map((column, index) => [column, fields[index]]));
}

// src/parsers/os/iostat.ts
var TOOL = "iostat";
function toDevice(device, lookup, where) {
  const required = (names) => {
    const value = lookup(names);
    if (value === void 0) throw new ParseError(`${TOOL}: no ${names.join(" or ")} for device ${device} in ${where}`);
    return value;
  };
  const reads = required(["r/s"]);
  const writes = required(["w/s"]);
  const readAwait = lookup(["r_await"]) ?? null;
  const writeAwait = lookup(["w_await"]) ?? null;
  let awaitMs = lookup(["await"]);
  if (awaitMs === void 0) {
    if (readAwait === null || writeAwait === null) {
      throw new ParseError(`${TOOL}: neither await nor r_await and w_await for device ${device} in ${where}`);
    }
    const completed = reads + writes;
    awaitMs = completed > 0 ? (readAwait * reads + writeAwait * writes) / completed : 0;
  }
  const kib = (kibName, sectorName) => {
    const value = lookup([kibName]);
    if (value !== void 0) return value;
    const sectors = lookup([sectorName]);
    if (sectors !== void 0) return sectors / 2;
    throw new ParseError(`${TOOL}: no ${kibName} for device ${device} in ${where}`);
  };
  return {
    device,
    reads_per_second: reads,
    writes_per_second: writes,
    read_kib_per_second: kib("rkB/s", "rsec/s"),
    write_kib_per_second: kib("wkB/s", "wsec/s"),
    await_ms: Math.round(awaitMs * 1e3) / 1e3,
    read_await_ms: readAwait,
    write_await_ms: writeAwait,
    average_queue_size: lookup(["aqu-sz", "avgqu-sz"]) ?? null,
    utilization_percent: required(["%util", "util"])
  };
}
function parseIostatText(text2) {
  const lines = text2.split("\n");
  let headerIndex = -1;
  lines.forEach((line, index) => {
    if (/^Device:?\s/.test(line)) headerIndex = index;
  });
  if (headerIndex < 0) {
    throw new ParseError(`${TOOL}: no "Device" header line in output ${JSON.stringify(text2.slice(0, 300))}`);
  }
  const header = lines[headerIndex];
  const columns = splitFields(header);
  columns[0] = "Device";
  const devices = [];
  for (const line of lines.slice(headerIndex + 1)) {
    if (line.trim() === "") break;
    const row = rowByName(TOOL, columns, line);
    for (const [column, field] of row) if (column !== "Device") readDecimal(TOOL, field, column, line);
    const lookup = (names) => {
      for (const name of names) {
        const field = row.get(name);
        if (field !== void 0) return readDecimal(TOOL, field, name, line);
      }
      return void 0;
    };
    devices.push(toDevice(row.get("Device"), lookup, `line ${JSON.stringify(line)}`));
  }
  return devices;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseIostatJson(text2) {
  let document;
  try {
    document = JSON.parse(text2);
  } catch (error) {
    throw new ParseError(`${TOOL}: unreadable JSON output ${JSON.stringify(text2.slice(0, 200))}`, { cause: error });
  }
  const sysstat = isRecord(document) ? document.sysstat : void 0;
  const hosts = isRecord(sysstat) ? sysstat.hosts : void 0;
  const host = Array.isArray(hosts) ? hosts[0] : void 0;
  const statistics = isRecord(host) ? host.statistics : void 0;
  if (!Array.isArray(statistics) || statistics.length === 0) {
    throw new ParseError(`${TOOL}: JSON output has no sysstat.hosts[0].statistics: ${JSON.stringify(text2.slice(0, 200))}`);
  }
  const last = statistics[statistics.length - 1];
  const disks = isRecord(last) ? last.disk : void 0;
  if (!Array.isArray(disks)) {
    throw new ParseError(`${TOOL}: JSON statistics entry has no "disk" list (was -d -x given?)`);
  }
  return disks.map((entry, index) => {
    const where = `JSON disk entry ${index} ${JSON.stringify(entry)}`;
    if (!isRecord(entry) || typeof entry.disk_device !== "string" || entry.disk_device === "") {
      throw new ParseError(`${TOOL}: no disk_device in ${where}`);
    }
    const lookup = (names) => {
      for (const name of names) {
        const value = entry[name];
        if (value === void 0) continue;
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
          throw new ParseError(`${TOOL}: ${name} is not a number in ${where}`);
        }
        return value;
      }
      return void 0;
    };
    return toDevice(entry.disk_device, lookup, where);
  });
}

// src/collectors/os/tool.ts
var DEBIAN_PACKAGE = {
  vmstat: "procps",
  free: "procps",
  iostat: "sysstat",
  systemctl: "systemd"
};
function toolTimeoutMs(context, kind) {
  const { sample_seconds: sample, command_timeout_seconds: timeout } = context.config.check;
  return Math.round((kind === "sampling" ? sample + timeout : timeout) * 1e3);
}
async function runTool(context, command, args, kind, acceptExitCodes) {
  try {
    return await context.exec(command, args, {
      timeoutMs: toolTimeoutMs(context, kind),
      ...acceptExitCodes ? { acceptExitCodes } : {}
    });
  } catch (error) {
    if (error instanceof CommandError && error.failure === "not_found") {
      const pkg = DEBIAN_PACKAGE[command] ?? command;
      throw new CommandError(
        command,
        "not_found",
        `${command}: not installed (not found in PATH); install the Debian package ${pkg}`,
        { cause: error }
      );
    }
    throw error;
  }
}

// src/collectors/os/iostat.ts
async function sampleDevices(context) {
  const interval = String(context.config.check.sample_seconds);
  const args = ["-d", "-x", "-k", "-y"];
  try {
    const { stdout } = await runTool(context, "iostat", [...args, "-o", "JSON", interval, "1"], "sampling");
    return parseIostatJson(stdout);
  } catch (error) {
    if (!(error instanceof CommandError && error.failure === "exit_status")) throw error;
    const { stdout } = await runTool(context, "iostat", [...args, interval, "1"], "sampling");
    return parseIostatText(stdout);
  }
}
var iostatMetrics = {
  families: {
    disk_await_seconds: { help: "Mean time of a completed I/O over the sample interval.", labels: ["device"] },
    disk_utilization_ratio: { help: "Share of the sample interval the device was busy (0-1).", labels: ["device"] },
    disk_reads_per_second: { help: "Completed reads per second over the sample interval.", labels: ["device"] },
    disk_writes_per_second: { help: "Completed writes per second over the sample interval.", labels: ["device"] }
  },
  samples({ os }, sink) {
    for (const device of os.iostat ?? []) {
      const labels = { device: device.device };
      sink.set("disk_await_seconds", labels, msToSeconds(device.await_ms));
      sink.set("disk_utilization_ratio", labels, Math.min(device.utilization_percent, 100) / 100);
      sink.set("disk_reads_per_second", labels, device.reads_per_second);
      sink.set("disk_writes_per_second", labels, device.writes_per_second);
    }
  }
};
var iostatCollector = {
  metrics: iostatMetrics,
  name: "iostat",
  checks: ["disk_await", "disk_util"],
  async collect(context) {
    const { ignore_devices: ignore, thresholds } = context.config.check;
    const ignored = ignore.map((pattern) => new RegExp(pattern));
    const devices = (await sampleDevices(context)).filter((device) => !ignored.some((pattern) => pattern.test(device.device)));
    return {
      os: { iostat: devices },
      checks: [checkDiskAwait(devices, thresholds.disk_await_ms), checkDiskUtil(devices, thresholds.disk_util_percent)]
    };
  }
};

// src/checks/swap.ts
var MIB = 1024 * 1024;
function checkSwap(memory, swapUsedStatus) {
  const usedMib = Math.round(memory.swap_used_bytes / MIB);
  const totalMib = Math.round(memory.swap_total_bytes / MIB);
  const inUse = memory.swap_used_bytes > 0;
  const message = inUse ? `${usedMib} MiB of ${totalMib} MiB swap in use` : totalMib > 0 ? `no swap in use (${totalMib} MiB configured)` : "no swap in use (none configured)";
  return {
    name: "swap",
    status: inUse ? swapUsedStatus : "ok",
    message,
    value: usedMib,
    unit: "MB",
    // Nagios range "0": alert on any value above zero.
    ...swapUsedStatus === "warning" ? { warning: 0 } : { critical: 0 }
  };
}

// src/parsers/os/free.ts
var TOOL2 = "free";
var MIB2 = 1024 * 1024;
function parseFree(text2, unitBytes = MIB2) {
  const lines = text2.split("\n").filter((line) => line.trim() !== "");
  const headerLine = lines.find((line) => /^\s+total\s+used\s+free\b/.test(line));
  if (headerLine === void 0) {
    throw new ParseError(`${TOOL2}: no header line ("total used free ...") in output ${JSON.stringify(text2.slice(0, 200))}`);
  }
  const columns = splitFields(headerLine);
  const row = (label) => {
    const line = lines.find((candidate) => candidate.startsWith(`${label}:`));
    if (line === void 0) throw new ParseError(`${TOOL2}: no "${label}:" line in output ${JSON.stringify(text2.slice(0, 300))}`);
    const fields = splitFields(line).slice(1);
    if (fields.length === 0 || fields.length > columns.length) {
      throw new ParseError(`${TOOL2}: unreadable line ${JSON.stringify(line)}`);
    }
    return new Map(fields.map((field, index) => {
      const column = columns[index];
      return [column, readDecimal(TOOL2, field, column, line) * unitBytes];
    }));
  };
  const mem = row("Mem");
  const swap = row("Swap");
  const need = (values, column, label) => {
    const value = values.get(column);
    if (value === void 0) throw new ParseError(`${TOOL2}: no ${column} column in the ${label}: line`);
    return value;
  };
  const available = mem.get("available") ?? need(mem, "free", "Mem") + (mem.get("buffers") ?? 0) + (mem.get("cached") ?? 0);
  return {
    total_bytes: need(mem, "total", "Mem"),
    used_bytes: need(mem, "used", "Mem"),
    available_bytes: available,
    swap_total_bytes: need(swap, "total", "Swap"),
    swap_used_bytes: need(swap, "used", "Swap"),
    swap_free_bytes: need(swap, "free", "Swap")
  };
}

// src/collectors/os/memory.ts
var memoryMetrics = {
  families: {
    memory_total_bytes: { help: "Total memory.", labels: [] },
    memory_available_bytes: { help: "Memory available for new work without swapping.", labels: [] },
    swap_total_bytes: { help: "Total swap space.", labels: [] },
    swap_used_bytes: { help: "Swap space in use.", labels: [] }
  },
  samples({ os: { memory } }, sink) {
    if (memory === void 0) return;
    sink.set("memory_total_bytes", {}, memory.total_bytes);
    sink.set("memory_available_bytes", {}, memory.available_bytes);
    sink.set("swap_total_bytes", {}, memory.swap_total_bytes);
    sink.set("swap_used_bytes", {}, memory.swap_used_bytes);
  }
};
var memoryCollector = {
  metrics: memoryMetrics,
  name: "memory",
  checks: ["swap"],
  async collect(context) {
    const { stdout } = await runTool(context, "free", ["-m"], "plain");
    const memory = parseFree(stdout, MIB2);
    return { os: { memory }, checks: [checkSwap(memory, context.config.check.swap_used_status)] };
  }
};

// src/checks/db-service.ts
var TRANSITIONAL = ["activating", "reloading", "refreshing"];
function gradeState(state) {
  if (state === "active") return "ok";
  if (TRANSITIONAL.includes(state)) return "warning";
  return "critical";
}
function checkServices(services) {
  if (services.length === 0) return serviceUnknown("no database service unit to check");
  const details = services.map((service) => ({
    subject: service.unit,
    status: gradeState(service.state),
    value: service.state === "active" ? 1 : 0,
    message: service.state
  }));
  const active = details.filter((detail) => detail.value === 1).length;
  const notActive = details.filter((detail) => detail.status !== "ok");
  const message = notActive.length > 0 ? notActive.map((detail) => `${detail.subject} ${detail.message}`).join(", ") + ` (${active} of ${details.length} active)` : `${details.map((detail) => detail.subject).join(", ")} active`;
  return { name: "db_service", status: worstStatus(details.map((detail) => detail.status)), message, value: active, details };
}
function serviceUnknown(reason) {
  return { name: "db_service", status: "unknown", message: reason, value: null };
}

// src/parsers/os/systemctl.ts
var TOOL3 = "systemctl";
var STATE_WORD = /^[a-z][a-z-]*$/;
function parseIsActive(stdout, units) {
  const lines = stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (lines.length !== units.length) {
    throw new ParseError(
      `${TOOL3}: is-active printed ${lines.length} state lines for ${units.length} units (${units.join(", ")}): ${JSON.stringify(stdout.slice(0, 200))}`
    );
  }
  return lines.map((line, index) => {
    if (!STATE_WORD.test(line)) throw new ParseError(`${TOOL3}: unreadable is-active line ${JSON.stringify(line)}`);
    return { unit: units[index], state: line };
  });
}
function parseListUnits(stdout) {
  const units = [];
  for (const line of stdout.split("\n")) {
    const fields = splitFields(line.replace(/^\s*[\u25CF*]\s{0,}/, ""));
    const first = fields[0];
    if (first === void 0 || !/^[^\s]+\.[a-z]+$/.test(first)) continue;
    if (fields.length < 4) throw new ParseError(`${TOOL3}: unreadable list-units line ${JSON.stringify(line)}`);
    units.push({ unit: first, load: fields[1], active: fields[2], sub: fields[3] });
  }
  return units;
}
function systemdUnavailableReason(stderr) {
  const line = stderr.split("\n").find((candidate) => /has not been booted with systemd|Failed to connect to bus|Launch helper exited with unknown return code/.test(candidate));
  return line === void 0 ? null : line.trim();
}

// src/collectors/os/service.ts
var DEFAULT_UNIT_PATTERNS = [
  "postgresql.service",
  "postgresql@*.service",
  "mysql.service",
  "mysqld.service",
  "mariadb.service",
  "mariadb@*.service"
];
var SystemdUnavailable = class extends DbSentinelError {
};
function checkAnswer(result, display2) {
  const reason = systemdUnavailableReason(result.stderr);
  if (reason !== null) throw new SystemdUnavailable(reason);
  if (result.exitCode === 1 && result.stdout.trim() === "") {
    const stderr = result.stderr.trim().split("\n")[0] ?? "";
    throw new CommandError("systemctl", "exit_status", `${display2}: exited with status 1${stderr ? `: ${stderr}` : ""}`);
  }
}
async function discoverUnits(context) {
  const args = ["list-units", "--type=service", "--all", "--plain", "--no-legend", "--no-pager", ...DEFAULT_UNIT_PATTERNS];
  const result = await runTool(context, "systemctl", args, "plain", [1]);
  checkAnswer(result, "systemctl list-units");
  const units = parseListUnits(result.stdout).filter((unit) => unit.load === "loaded").map((unit) => unit.unit);
  return [...new Set(units)];
}
var serviceMetrics = {
  families: { service_active: { help: "1 if the systemd unit is active, else 0.", labels: ["unit"] } },
  samples({ os }, sink) {
    for (const service of os.services ?? []) sink.set("service_active", { unit: service.unit }, service.state === "active" ? 1 : 0);
  }
};
var serviceCollector = {
  metrics: serviceMetrics,
  name: "service",
  checks: ["db_service"],
  async collect(context) {
    try {
      const configured = context.config.check.services;
      const units = configured.length > 0 ? configured : await discoverUnits(context);
      if (units.length === 0) {
        return {
          os: { services: [] },
          checks: [serviceUnknown(`no database service unit found (looked for ${DEFAULT_UNIT_PATTERNS.join(", ")}); list the units in check.services`)]
        };
      }
      const result = await runTool(context, "systemctl", ["is-active", ...units], "plain", [1, 3, 4]);
      checkAnswer(result, "systemctl is-active");
      const services = parseIsActive(result.stdout, units);
      return { os: { services }, checks: [checkServices(services)] };
    } catch (error) {
      if (!(error instanceof SystemdUnavailable)) throw error;
      const units = context.config.check.services;
      return {
        os: { services: units.map((unit) => ({ unit, state: "unknown" })) },
        checks: [serviceUnknown(`systemctl cannot answer: ${error.message}`)]
      };
    }
  }
};

// src/core/validate.ts
function describe(value) {
  if (value === void 0) return "nothing";
  return JSON.stringify(value);
}
function expectMap(value, path) {
  if (value === void 0 || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(path || "(top level)", `expected a mapping, got ${describe(value)}`);
  }
  return value;
}
function rejectUnknownKeys(map, known, path) {
  for (const key of Object.keys(map)) {
    if (!known.includes(key)) {
      const where = path ? `${path}.${key}` : key;
      throw new ConfigError(where, `unknown key (expected one of: ${known.join(", ")})`);
    }
  }
}
function join(path, key) {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
function readNumber(map, key, path, fallback, rule = {}) {
  const value = map[key];
  if (value === void 0 || value === null) return fallback;
  return checkNumber(value, join(path, key), rule);
}
function checkNumber(value, where, rule = {}) {
  const bounds = [
    rule.min !== void 0 ? `>= ${rule.min}` : "",
    rule.max !== void 0 ? `<= ${rule.max}` : ""
  ].filter(Boolean);
  const wanted = `${rule.integer ? "an integer" : "a number"}${bounds.length ? ` ${bounds.join(" and ")}` : ""}`;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigError(where, `expected ${wanted}, got ${describe(value)}`);
  }
  if (rule.integer && !Number.isInteger(value) || rule.min !== void 0 && value < rule.min || rule.max !== void 0 && value > rule.max) {
    throw new ConfigError(where, `expected ${wanted}, got ${describe(value)}`);
  }
  return value;
}
function readString(map, key, path, fallback) {
  const value = map[key];
  if (value === void 0 || value === null) return fallback;
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(join(path, key), `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}
function readEnum(map, key, path, allowed, fallback) {
  const value = map[key];
  if (value === void 0 || value === null) return fallback;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw new ConfigError(join(path, key), `expected one of ${allowed.join(", ")}, got ${describe(value)}`);
  }
  return value;
}
function readStringList(map, key, path, fallback) {
  const value = map[key];
  if (value === void 0 || value === null) return [...fallback];
  if (!Array.isArray(value)) {
    throw new ConfigError(join(path, key), `expected a list of strings, got ${describe(value)}`);
  }
  return value.map((item, index) => {
    if (typeof item !== "string" || item === "") {
      throw new ConfigError(join(join(path, key), index), `expected a non-empty string, got ${describe(item)}`);
    }
    return item;
  });
}
function readThresholds(map, key, path, fallback) {
  const where = join(path, key);
  const section = expectMap(map[key], where);
  rejectUnknownKeys(section, ["warning", "critical"], where);
  const warning = readNumber(section, "warning", where, fallback.warning, { min: 0 });
  const critical = readNumber(section, "critical", where, fallback.critical, { min: 0 });
  if (critical < warning) {
    throw new ConfigError(where, `critical (${critical}) must not be below warning (${warning})`);
  }
  return { warning, critical };
}

// src/checks/context-switches.ts
function checkContextSwitches(sample, cpuCount2, thresholds) {
  const perCpu = round(sample.context_switches_per_second / cpuCount2, 0);
  return {
    name: "context_switches",
    status: gradeAbove(perCpu, thresholds.warning, thresholds.critical),
    message: `${perCpu}/s per CPU (${sample.context_switches_per_second}/s on ${cpuCount2} CPUs; warning >= ${thresholds.warning}, critical >= ${thresholds.critical})`,
    value: perCpu,
    unit: "",
    warning: thresholds.warning,
    critical: thresholds.critical
  };
}

// src/checks/run-queue.ts
function checkRunQueue(sample, cpuCount2, thresholds) {
  const others = Math.max(0, sample.runnable - 1);
  const perCpu = round(others / cpuCount2, 2);
  return {
    name: "run_queue",
    status: gradeAbove(perCpu, thresholds.warning, thresholds.critical),
    message: `${formatNumber(perCpu)} runnable per CPU (${others} runnable besides vmstat on ${cpuCount2} CPUs, ${sample.blocked} blocked; warning >= ${thresholds.warning}, critical >= ${thresholds.critical})`,
    value: perCpu,
    unit: "",
    warning: thresholds.warning,
    critical: thresholds.critical
  };
}

// src/parsers/os/vmstat.ts
var TOOL4 = "vmstat";
var REQUIRED = ["r", "b", "in", "cs", "us", "sy", "id"];
function parseVmstat(text2, intervalSeconds) {
  const lines = text2.split("\n").filter((line) => line.trim() !== "");
  const headerIndex = lines.findIndex((line) => {
    const fields = splitFields(line);
    return fields[0] === "r" && fields[1] === "b";
  });
  if (headerIndex < 0) {
    throw new ParseError(`${TOOL4}: no column header (" r  b ...") in output ${JSON.stringify(text2.slice(0, 200))}`);
  }
  const columns = splitFields(lines[headerIndex]);
  for (const column of REQUIRED) {
    if (!columns.includes(column)) {
      throw new ParseError(`${TOOL4}: column ${column} missing from header ${JSON.stringify(lines[headerIndex])}`);
    }
  }
  const rows = lines.slice(headerIndex + 1).filter((line) => !/^\s*procs\b/.test(line) && splitFields(line)[0] !== "r");
  if (rows.length < 2) {
    throw new ParseError(
      `${TOOL4}: expected 2 samples (since boot, then the interval), got ${rows.length}: ${JSON.stringify(text2.slice(0, 300))}`
    );
  }
  const parsed = rows.map((line) => rowByName(TOOL4, columns, line));
  const sampleLine = rows[rows.length - 1];
  const row = parsed[parsed.length - 1];
  const number = (column) => readDecimal(TOOL4, row.get(column), column, sampleLine);
  const optional = (column) => row.has(column) ? number(column) : 0;
  for (const [index, other] of parsed.entries()) {
    for (const [column, value] of other) readDecimal(TOOL4, value, column, rows[index]);
  }
  return {
    interval_seconds: intervalSeconds,
    runnable: number("r"),
    blocked: number("b"),
    swap_in_per_second: optional("si"),
    swap_out_per_second: optional("so"),
    interrupts_per_second: number("in"),
    context_switches_per_second: number("cs"),
    cpu_percent: {
      user: number("us"),
      system: number("sy"),
      idle: number("id"),
      // wa appeared in procps 3.2 (Linux 2.6), st in 3.2.7: absent columns mean the kernel did not account them.
      iowait: optional("wa"),
      steal: optional("st")
    }
  };
}

// src/collectors/os/vmstat.ts
var CPU_MODES = ["user", "system", "idle", "iowait", "steal"];
var vmstatMetrics = {
  families: {
    run_queue: { help: "Runnable threads (vmstat r) over the sample interval.", labels: [] },
    blocked_processes: { help: "Threads blocked on I/O (vmstat b) over the sample interval.", labels: [] },
    context_switches_per_second: { help: "Context switches per second over the sample interval.", labels: [] },
    interrupts_per_second: { help: "Interrupts per second over the sample interval.", labels: [] },
    cpu_ratio: { help: "Share of CPU time by mode over the sample interval (0-1).", labels: ["mode"] }
  },
  samples({ os: { vmstat } }, sink) {
    if (vmstat === void 0) return;
    sink.set("run_queue", {}, vmstat.runnable);
    sink.set("blocked_processes", {}, vmstat.blocked);
    sink.set("context_switches_per_second", {}, vmstat.context_switches_per_second);
    sink.set("interrupts_per_second", {}, vmstat.interrupts_per_second);
    for (const mode of CPU_MODES) sink.set("cpu_ratio", { mode }, vmstat.cpu_percent[mode] / 100);
  }
};
var vmstatCollector = {
  metrics: vmstatMetrics,
  name: "vmstat",
  checks: ["run_queue", "context_switches"],
  async collect(context) {
    const { sample_seconds: interval, thresholds } = context.config.check;
    const { stdout } = await runTool(context, "vmstat", [String(interval), "2"], "sampling");
    const sample = parseVmstat(stdout, interval);
    return {
      os: { vmstat: sample },
      checks: [
        checkRunQueue(sample, context.cpuCount, thresholds.run_queue_per_cpu),
        checkContextSwitches(sample, context.cpuCount, thresholds.context_switches_per_cpu)
      ]
    };
  }
};

// src/collectors/registry.ts
var CHECK_COLLECTORS = [vmstatCollector, iostatCollector, memoryCollector, serviceCollector];

// src/sources/lock.ts
var import_node_fs = require("node:fs");
var LockError = class extends DbSentinelError {
};
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function readOwner(path) {
  try {
    const owner = JSON.parse((0, import_node_fs.readFileSync)(path, "utf8"));
    if (typeof owner.pid === "number" && typeof owner.started_at === "string") return { pid: owner.pid, started_at: owner.started_at };
    return null;
  } catch (error) {
    if (error.code === "ENOENT") throw error;
    return null;
  }
}
function tryCreate(path, owner) {
  let fd;
  try {
    fd = (0, import_node_fs.openSync)(path, "wx", 420);
  } catch (error) {
    if (error.code === "EEXIST") return false;
    throw new LockError(`lock file ${path}: cannot create it: ${errorMessage(error)}`, { cause: error });
  }
  try {
    (0, import_node_fs.writeSync)(fd, `${JSON.stringify(owner)}
`);
  } finally {
    (0, import_node_fs.closeSync)(fd);
  }
  return true;
}
function acquireLock(path, options) {
  const now = options.now ?? (() => new Date());
  const isAlive = options.isAlive ?? processAlive;
  const me = { pid: options.pid ?? process.pid, started_at: now().toISOString() };
  const release = () => {
    try {
      if (readOwner(path)?.pid === me.pid) (0, import_node_fs.unlinkSync)(path);
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (tryCreate(path, me)) return { acquired: true, release };
    let owner2;
    try {
      owner2 = readOwner(path);
    } catch (error) {
      if (error.code === "ENOENT") continue;
      throw error;
    }
    const age = owner2 ? now().getTime() - Date.parse(owner2.started_at) : Number.POSITIVE_INFINITY;
    if (owner2 && isAlive(owner2.pid) && age < options.staleAfterMs) return { acquired: false, owner: owner2 };
    try {
      (0, import_node_fs.unlinkSync)(path);
    } catch (error) {
      if (error.code !== "ENOENT") {
        throw new LockError(`lock file ${path}: cannot remove the stale lock: ${errorMessage(error)}`, { cause: error });
      }
    }
  }
  let owner = null;
  try {
    owner = readOwner(path);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  return { acquired: false, owner: owner ?? { pid: 0, started_at: "unknown" } };
}

// src/core/report.ts
var SCHEMA_VERSION = 1;

// src/report/runner.ts
var CollectorTimeoutError = class extends DbSentinelError {
};
function withDeadline(promise, ms, name) {
  let pending = true;
  let timer;
  const deadline = new Promise((_, reject) => {
    setImmediate(() => {
      if (!pending) return;
      timer = setTimeout(() => reject(new CollectorTimeoutError(`${name}: no result within ${ms} ms`)), ms);
    });
  });
  return Promise.race([promise, deadline]).finally(() => {
    pending = false;
    if (timer !== void 0) clearTimeout(timer);
  });
}
async function runOne(collector, context, deadlineMs) {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const output = await withDeadline(collector.collect(context), deadlineMs, collector.name);
    return { run: { name: collector.name, success: true, duration_seconds: seconds() }, output };
  } catch (error) {
    const message = errorMessage(error);
    const checks = collector.checks.map((name) => ({ name, status: "unknown", message, value: null }));
    return { run: { name: collector.name, success: false, duration_seconds: seconds(), error: message }, output: { checks } };
  }
}
async function collectReport(collectors, context, options) {
  const started = process.hrtime.bigint();
  const collectedAt = context.now();
  const outcomes = await Promise.all(collectors.map((collector) => runOne(collector, context, options.deadlineMs)));
  const report = {
    schema_version: SCHEMA_VERSION,
    host: context.hostname,
    collected_at: collectedAt.toISOString(),
    duration_seconds: 0,
    status: "ok",
    checks: [],
    collectors: [],
    os: { cpu_count: context.cpuCount },
    databases: []
  };
  for (const { run, output } of outcomes) {
    report.collectors.push(run);
    if (output.os) Object.assign(report.os, output.os);
    if (output.databases) report.databases.push(...output.databases);
    if (output.checks) report.checks.push(...output.checks);
  }
  report.status = worstStatus(report.checks.map((check) => check.status));
  report.duration_seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}

// src/outputs/nagios.ts
var ORDER = { critical: 0, warning: 1, unknown: 2, ok: 3 };
function text(message) {
  return message.replace(/\|/g, "/").replace(/\n/g, " ");
}
function word(status) {
  return status.toUpperCase();
}
function perfNumber(value) {
  return String(Math.round(value * 1e3) / 1e3);
}
function perfLabel(label) {
  return /^[A-Za-z0-9_.-]+$/.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
}
function perfItem(label, value, unit, check) {
  const threshold = (limit) => limit === void 0 ? "" : perfNumber(limit);
  const max = unit === "%" ? "100" : "";
  const tail = `${threshold(check.warning)};${threshold(check.critical)};0;${max}`.replace(/;+$/, "");
  return `${perfLabel(label)}=${perfNumber(value)}${unit};${tail}`;
}
function perfdata(checks) {
  const items = [];
  for (const check of checks) {
    if (check.value === null) continue;
    const unit = check.unit ?? "";
    items.push(perfItem(check.name, check.value, unit, check));
    if (check.name.startsWith("disk_")) {
      for (const detail of check.details ?? []) {
        if (detail.value !== null) items.push(perfItem(`${check.name}_${detail.subject}`, detail.value, unit, check));
      }
    }
  }
  return items.join(" ");
}
function summary(report) {
  const flagged = report.checks.filter((check) => check.status !== "ok").sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  if (report.checks.length === 0) return "no checks ran";
  if (flagged.length === 0) return `all ${report.checks.length} checks OK`;
  return flagged.map((check) => `${check.name} ${word(check.status)}: ${text(check.message)}`).join("; ");
}
function renderNagios(report) {
  const perf = perfdata(report.checks);
  const lines = [`DB_SENTINEL ${word(report.status)} - ${summary(report)}${perf ? ` | ${perf}` : ""}`];
  for (const check of report.checks) {
    lines.push(`[${word(check.status)}] ${check.name}: ${text(check.message)}`);
    for (const detail of check.details ?? []) lines.push(`    ${detail.subject}: ${word(detail.status)} ${text(detail.message)}`);
  }
  return `${lines.join("\n")}
`;
}
function nagiosExitCode(report) {
  return EXIT_CODE[report.status];
}

// src/outputs/stdout.ts
var import_node_fs2 = require("node:fs");
function writeStdout(text2) {
  let rest;
  try {
    const written = (0, import_node_fs2.writeSync)(1, text2);
    if (written === Buffer.byteLength(text2)) return;
    rest = Buffer.from(text2, "utf8").subarray(written);
    while (rest.length > 0) rest = rest.subarray((0, import_node_fs2.writeSync)(1, rest));
  } catch (error) {
    if (error.code !== "EAGAIN") throw error;
    process.stdout.write(rest ?? text2);
  }
}

// src/sources/wave.ts
var import_node_fs3 = require("node:fs");
var import_node_os = require("node:os");

// src/sources/exec.ts
var CRON_PATH = ["/usr/bin", "/bin"];
var SBIN_DIRS = ["/usr/sbin", "/sbin"];
function commandSearchPath(path) {
  const given = (path ?? "").split(":").filter((dir) => dir !== "");
  const dirs = given.length > 0 ? given : [...CRON_PATH];
  for (const dir of SBIN_DIRS) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(":");
}

// src/sources/spawn.ts
function commandEnv() {
  return { ...process.env, LC_ALL: "C", LANG: "C", PATH: commandSearchPath(process.env.PATH), S_COLORS: "never" };
}
function failedCommandError(command, args, exitCode, stderr) {
  const last = stderr.trim().split("\n").slice(-1)[0] ?? "";
  return new CommandError(
    command,
    "exit_status",
    `${[command, ...args].join(" ")}: exited with status ${exitCode}${last ? `: ${last}` : ""}`
  );
}
var spawnCommand = (command, args, options) => new Promise((resolve, reject) => {
  const display2 = [command, ...args].join(" ");
  const { spawn } = require("node:child_process");
  const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"], detached: true, env: commandEnv() });
  let stdout = "";
  let stderr = "";
  let settled = false;
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
  });
  const finish = (outcome) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    outcome();
  };
  const timer = setTimeout(() => {
    finish(() => {
      try {
        if (child.pid !== void 0) process.kill(-child.pid, "SIGKILL");
      } catch (error) {
        if (error.code !== "ESRCH") throw error;
      }
      child.stdout.destroy();
      child.stderr.destroy();
      reject(new CommandError(command, "timeout", `${display2}: no answer within ${options.timeoutMs} ms, stopped`));
    });
  }, options.timeoutMs);
  child.on("error", (error) => {
    finish(() => {
      child.stdout.destroy();
      child.stderr.destroy();
      reject(error.code === "ENOENT" ? new CommandError(command, "not_found", `${command}: command not found in PATH`, { cause: error }) : new CommandError(command, "spawn", `${display2}: could not be run`, { cause: error }));
    });
  });
  child.on("close", (code, signal) => {
    finish(() => {
      if (signal !== null) {
        reject(new CommandError(command, "signal", `${display2}: killed by ${signal}`));
        return;
      }
      const exitCode = code ?? 0;
      if (exitCode === 0 || options.acceptExitCodes?.includes(exitCode)) {
        resolve({ stdout, stderr, exitCode });
        return;
      }
      reject(failedCommandError(command, args, exitCode, stderr));
    });
  });
});

// src/sources/wave.ts
var MAX_WAVE = 4;
var STATUS_FD = 9;
var LAUNCHER = "/bin/sh";
var childProcessSpawnSync = (file, args, env, stdio, timeoutMs) => {
  const { spawnSync } = require("node:child_process");
  const result = spawnSync(file, [...args], {
    stdio: [...stdio],
    env,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: Infinity,
    // Not in spawnSync's typings, but passed on to libuv as for spawn (UV_PROCESS_DETACHED): a process group to kill.
    ...{ detached: true }
  });
  const error = result.error;
  return {
    pid: result.pid,
    status: result.status,
    signal: result.signal,
    output: result.output ?? [],
    ...error ? { error: { code: error.code ?? "ERROR", message: error.message } } : {}
  };
};
function errnoName(errno) {
  return Object.entries(import_node_os.constants.errno).find(([, value]) => value === errno)?.[0] ?? `errno ${errno}`;
}
function bindingSpawnSync() {
  const major = Number(process.versions.node.split(".")[0]);
  if (!(major >= 18 && major <= 22)) return childProcessSpawnSync;
  const binding = process.binding;
  let engine;
  try {
    engine = binding?.("spawn_sync");
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return childProcessSpawnSync;
  }
  if (typeof engine?.spawn !== "function") return childProcessSpawnSync;
  return (file, args, env, stdio, timeoutMs) => {
    const result = engine.spawn({
      file,
      args: [file, ...args],
      timeout: timeoutMs,
      maxBuffer: Infinity,
      killSignal: import_node_os.constants.signals.SIGKILL,
      envPairs: Object.entries(env).filter(([, value]) => value !== void 0).map(([key, value]) => `${key}=${value}`),
      detached: true,
      windowsHide: false,
      windowsVerbatimArguments: false,
      stdio: stdio.map((kind, fd) => kind === "ignore" ? { type: "ignore" } : { type: "pipe", readable: fd === 0, writable: fd !== 0 })
    });
    const code = result.error === void 0 || result.error === 0 ? void 0 : errnoName(-result.error);
    return {
      pid: result.pid,
      status: result.status,
      signal: result.signal,
      output: result.output ?? [],
      ...code ? { error: { code, message: `spawnSync ${file} ${code}` } } : {}
    };
  };
}
function resolveCommand(command, searchPath) {
  const candidates = command.includes("/") ? [command] : searchPath.split(":").map((dir) => `${dir}/${command}`);
  for (const candidate of candidates) {
    if ((0, import_node_fs3.statSync)(candidate, { throwIfNoEntry: false })?.isFile() !== true) continue;
    try {
      (0, import_node_fs3.accessSync)(candidate, import_node_fs3.constants.X_OK);
      return candidate;
    } catch (error) {
      if (error.code !== "EACCES") throw error;
    }
  }
  return null;
}
function launcherScript(firstWords, lastParameter) {
  const pipeFds = Array.from({ length: 2 * firstWords.length - 2 }, (_, index) => index + 3);
  const lines = firstWords.map((first, index) => {
    const end = index + 1 < firstWords.length ? firstWords[index + 1] : lastParameter + 1;
    const words = Array.from({ length: end - first }, (_, offset) => `"\${${first + offset}}"`).join(" ");
    const own = index === 0 ? "" : ` >&${2 * index + 1} 2>&${2 * index + 2}`;
    const closed = pipeFds.map((fd) => ` ${fd}>&-`).join("");
    return `{ ${words} ${STATUS_FD}>&-; echo "${index} $?" >&${STATUS_FD}; }${own}${closed} &`;
  });
  return `${lines.join("\n")}
wait
`;
}
function display(command, args) {
  return [command, ...args].join(" ");
}
function signalName(status) {
  if (status <= 128) return null;
  const entry = Object.entries(import_node_os.constants.signals).find(([, number]) => number === status - 128);
  return entry === void 0 ? null : entry[0];
}
function settleFromStatus(item, status, stdout, stderr) {
  if (status === 0 || item.options.acceptExitCodes?.includes(status)) {
    item.resolve({ stdout, stderr, exitCode: status });
    return;
  }
  const signal = signalName(status);
  item.reject(signal !== null ? new CommandError(item.command, "signal", `${display(item.command, item.args)}: killed by ${signal}`) : failedCommandError(item.command, item.args, status, stderr));
}
function parseStatuses(text2) {
  const statuses = new Map();
  for (const line of text2.split("\n")) {
    const match = /^(\d) (\d+)$/.exec(line);
    if (match) statuses.set(Number(match[1]), Number(match[2]));
  }
  return statuses;
}
function killGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch (error) {
    if (error.code !== "ESRCH") throw error;
  }
}
function runWave(wave, spawnSync) {
  const parameters = [];
  const firstWords = [];
  for (const item of wave) {
    firstWords.push(parameters.length + 1);
    parameters.push(item.path, ...item.args);
  }
  const deadlineMs = Math.max(...wave.map((item) => item.options.timeoutMs));
  const stdio = ["ignore"];
  for (let fd = 1; fd < STATUS_FD; fd += 1) stdio.push(fd <= 2 * wave.length ? "pipe" : "ignore");
  stdio.push("pipe");
  const result = spawnSync(
    LAUNCHER,
    ["-c", launcherScript(firstWords, parameters.length), "db_sentinel", ...parameters],
    commandEnv(),
    stdio,
    deadlineMs
  );
  const timedOut = result.error?.code === "ETIMEDOUT";
  if (timedOut && result.pid > 0) killGroup(result.pid);
  const output = (fd) => result.output[fd]?.toString("utf8") ?? "";
  const statuses = parseStatuses(output(STATUS_FD));
  wave.forEach((item, index) => {
    const status = statuses.get(index);
    if (status !== void 0) {
      settleFromStatus(item, status, output(2 * index + 1), output(2 * index + 2));
    } else if (timedOut) {
      item.reject(new CommandError(
        item.command,
        "timeout",
        `${display(item.command, item.args)}: no answer within ${deadlineMs} ms, stopped`
      ));
    } else {
      const launcher = result.error ? `could not run ${LAUNCHER}: ${result.error.message}` : `${LAUNCHER} ended (${result.signal ?? `status ${result.status}`}) without its exit status`;
      item.reject(new CommandError(item.command, "spawn", `${display(item.command, item.args)}: ${launcher}`));
    }
  });
}
function runAlone(item, spawnSync) {
  const result = spawnSync(item.path, item.args, commandEnv(), ["ignore", "pipe", "pipe"], item.options.timeoutMs);
  const stdout = result.output[1]?.toString("utf8") ?? "";
  const stderr = result.output[2]?.toString("utf8") ?? "";
  if (result.error?.code === "ETIMEDOUT") {
    if (result.pid > 0) killGroup(result.pid);
    item.reject(new CommandError(
      item.command,
      "timeout",
      `${display(item.command, item.args)}: no answer within ${item.options.timeoutMs} ms, stopped`
    ));
  } else if (result.error) {
    item.reject(new CommandError(item.command, "spawn", `${display(item.command, item.args)}: could not be run: ${result.error.message}`));
  } else if (result.signal !== null) {
    item.reject(new CommandError(item.command, "signal", `${display(item.command, item.args)}: killed by ${result.signal}`));
  } else {
    const status = result.status ?? 0;
    if (status === 0 || item.options.acceptExitCodes?.includes(status)) item.resolve({ stdout, stderr, exitCode: status });
    else item.reject(failedCommandError(item.command, item.args, status, stderr));
  }
}
function start(queued, spawnSync) {
  const path = commandEnv().PATH;
  const wave = [];
  for (const item of queued) {
    if ([item.command, ...item.args].some((word2) => word2.includes("\0"))) {
      item.reject(new CommandError(item.command, "spawn", `${display(item.command, item.args)}: an argument holds a NUL byte`));
      continue;
    }
    const resolved = resolveCommand(item.command, path);
    if (resolved === null) {
      item.reject(new CommandError(item.command, "not_found", `${item.command}: command not found in PATH`));
      continue;
    }
    wave.push({ ...item, path: resolved });
  }
  if (wave.length === 1) {
    runAlone(wave[0], spawnSync);
    return;
  }
  if (wave.length <= MAX_WAVE) {
    runWave(wave, spawnSync);
    return;
  }
  for (const item of wave) spawnCommand(item.command, item.args, item.options).then(item.resolve, item.reject);
}
function createWaveRunner(spawnSync = bindingSpawnSync()) {
  let pending = [];
  return (command, args, options) => new Promise((resolve, reject) => {
    if (pending.length === 0) void Promise.resolve().then(() => {
      const wave = pending;
      pending = [];
      start(wave, spawnSync);
    });
    pending.push({ command, args, options, resolve, reject });
  });
}

// src/sources/startup-snapshot.ts
var import_node_fs4 = require("node:fs");
var import_node_path = require("node:path");

// src/core/snapshot-blob.ts
var NODE18_BLOB_MAGIC = 21223961;
var BUILTIN_ID = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
var MAX_BUILTINS = 4096;
var MAX_ID_LENGTH = 256;
var describe2 = (blob) => `startup snapshot blob (${blob.length} bytes)`;
function readString2(blob, at, maxLength) {
  if (at + 8 > blob.length) return void 0;
  const length = blob.readBigUInt64LE(at);
  if (length > BigInt(maxLength)) return void 0;
  const end = at + 8 + Number(length);
  if (end >= blob.length || blob[end] !== 0) return void 0;
  return { text: blob.toString("latin1", at + 8, end), next: end + 1 };
}
function codeCacheAt(blob, offset) {
  const count = blob.readBigUInt64LE(offset);
  if (count === 0n || count > BigInt(MAX_BUILTINS)) return void 0;
  const entries = [];
  let at = offset + 8;
  for (let index = 0n; index < count; index += 1n) {
    const id = readString2(blob, at, MAX_ID_LENGTH);
    if (id === void 0 || !BUILTIN_ID.test(id.text) || id.next + 8 > blob.length) return void 0;
    const size = blob.readBigUInt64LE(id.next);
    if (size > BigInt(blob.length - id.next - 8)) return void 0;
    const end = id.next + 8 + Number(size);
    entries.push({ id: id.text, start: at, end });
    at = end;
  }
  return at === blob.length ? entries : void 0;
}
function findBuiltinCodeCache(blob, nodeVersion) {
  if (blob.length < 5 || blob.readUInt32LE(0) !== NODE18_BLOB_MAGIC) {
    throw new ParseError(`${describe2(blob)}: no Node 18 blob magic ${NODE18_BLOB_MAGIC.toString(16)} at its start`);
  }
  let at = 5;
  const fields = [];
  for (const field of ["node version", "arch", "platform"]) {
    const value = readString2(blob, at, MAX_ID_LENGTH);
    if (value === void 0) throw new ParseError(`${describe2(blob)}: no ${field} string at offset ${at}`);
    fields.push(value.text);
    at = value.next;
  }
  const version2 = nodeVersion.replace(/^v/, "");
  if (fields[0] !== version2) {
    throw new ParseError(`${describe2(blob)}: written by Node ${JSON.stringify(fields[0])}, not ${version2}`);
  }
  at += 4;
  if (at + 4 > blob.length) throw new ParseError(`${describe2(blob)}: ends before V8's startup data`);
  const v8Size = blob.readInt32LE(at);
  const v8End = at + 4 + v8Size;
  if (v8Size <= 0 || v8End > blob.length) {
    throw new ParseError(`${describe2(blob)}: V8's startup data of ${v8Size} bytes at offset ${at} does not fit the file`);
  }
  const found = [];
  for (let offset = v8End; offset + 8 <= blob.length; offset += 1) {
    const entries = codeCacheAt(blob, offset);
    if (entries !== void 0) found.push({ offset, entries });
  }
  if (found.length === 0 && blob.length - 8 >= v8End && blob.readBigUInt64LE(blob.length - 8) === 0n) {
    return { offset: blob.length - 8, entries: [] };
  }
  if (found.length === 0) {
    throw new ParseError(`${describe2(blob)}: no builtins' code cache runs from after V8's startup data (offset ${v8End}) to the end of the file`);
  }
  if (found.length > 1) {
    throw new ParseError(`${describe2(blob)}: ${found.length} offsets after V8's startup data (offset ${v8End}) could start the builtins' code cache`);
  }
  return found[0];
}
function keepBuiltinCodeCache(blob, cache, keep) {
  const kept = cache.entries.filter((entry) => keep.has(entry.id));
  const count = Buffer.alloc(8);
  count.writeBigUInt64LE(BigInt(kept.length));
  return Buffer.concat([blob.subarray(0, cache.offset), count, ...kept.map((entry) => blob.subarray(entry.start, entry.end))]);
}

// src/sources/startup-snapshot.ts
var SNAPSHOT_FILES = { blob: "db_check.blob", node: "node", bundle: "db_check.js" };
var SNAPSHOT_NODE_FLAGS = ["--no-verify-snapshot-checksum"];
var RUN_BUILTINS = new Set([
  "internal/modules/esm/handle_process_exit",
  "internal/fs/sync_write_stream",
  "tty",
  "internal/tty",
  "net",
  "internal/dtrace",
  "internal/perf/observe",
  "internal/perf/performance_entry"
]);
var RUN_BUILTINS_NODE = /^v18\.20\./;
function keepRunBuiltinsOnly(file, nodeVersion) {
  if (!RUN_BUILTINS_NODE.test(nodeVersion)) {
    return `; Node's code cache of its builtins left whole: which of them a run loads was read on Node 18.20, not ` + nodeVersion;
  }
  const trimmed = `${file}.trimmed`;
  try {
    const blob = (0, import_node_fs4.readFileSync)(file);
    const cache = findBuiltinCodeCache(blob, nodeVersion);
    if (cache.entries.every((entry) => RUN_BUILTINS.has(entry.id))) return "";
    (0, import_node_fs4.writeFileSync)(trimmed, keepBuiltinCodeCache(blob, cache, RUN_BUILTINS));
    (0, import_node_fs4.renameSync)(trimmed, file);
    return "";
  } catch (error) {
    (0, import_node_fs4.rmSync)(trimmed, { force: true });
    return `; Node's code cache of its builtins left whole: ${errorMessage(error)}`;
  }
}
var BUILD_TIMEOUT_MS = 6e4;
function snapshotDeclined(nodeVersion) {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, "").split(".").map(Number);
  if (major >= 20) return `Node ${nodeVersion} starts db_check faster from its code cache than from a snapshot`;
  if (major < 18 || major === 18 && minor < 8) return `Node ${nodeVersion} cannot build startup snapshots (18.8 or later)`;
  return void 0;
}
function ownDirectory(dir) {
  try {
    (0, import_node_fs4.mkdirSync)(dir, { recursive: true, mode: 448 });
  } catch (error) {
    throw new DbSentinelError(`startup snapshot: cannot create ${dir}: ${errorMessage(error)}`, { cause: error });
  }
  const owner = (0, import_node_fs4.lstatSync)(dir);
  const uid = process.getuid?.() ?? -1;
  if (!owner.isDirectory() || owner.uid !== uid || (owner.mode & 18) !== 0) {
    throw new DbSentinelError(`startup snapshot: ${dir} must be a directory of uid ${uid} that no group or other user can write (it is ${owner.isDirectory() ? "a directory" : "not a directory"} of uid ${owner.uid}, mode ${(owner.mode & 4095).toString(8)})`);
  }
}
function removeSnapshot(dir) {
  for (const name of Object.values(SNAPSHOT_FILES)) (0, import_node_fs4.rmSync)((0, import_node_path.join)(dir, name), { force: true });
}
var LINK_REFUSED = new Set(["EXDEV", "EPERM", "EMLINK"]);
function decline(target, reason) {
  (0, import_node_fs4.symlinkSync)(target.node, (0, import_node_path.join)(target.dir, SNAPSHOT_FILES.node));
  return { built: false, message: `no startup snapshot: ${reason}` };
}
function buildStartupSnapshot(target, spawn = childProcessSpawnSync) {
  const declined = snapshotDeclined(target.nodeVersion);
  ownDirectory(target.dir);
  removeSnapshot(target.dir);
  if (declined !== void 0) return decline(target, declined);
  const links = [[SNAPSHOT_FILES.node, target.node], [SNAPSHOT_FILES.bundle, target.bundle]].map(([name, file]) => ({ name, file, temporary: (0, import_node_path.join)(target.dir, `.${name}.${process.pid}`) }));
  const removeTemporaries = () => links.forEach((link) => (0, import_node_fs4.rmSync)(link.temporary, { force: true }));
  for (const link of links) {
    (0, import_node_fs4.rmSync)(link.temporary, { force: true });
    try {
      (0, import_node_fs4.linkSync)((0, import_node_fs4.realpathSync)(link.file), link.temporary);
    } catch (error) {
      removeTemporaries();
      const code = error.code ?? "";
      if (!LINK_REFUSED.has(code)) {
        throw new DbSentinelError(`startup snapshot: cannot link ${link.file} into ${target.dir}: ${errorMessage(error)}`, { cause: error });
      }
      return decline(target, `${target.dir} cannot hold a hard link to ${link.file} (${code}: another filesystem?), which says what a blob was made from`);
    }
  }
  const blob = (0, import_node_path.join)(target.dir, SNAPSHOT_FILES.blob);
  const temporary = (0, import_node_path.join)(target.dir, `.${SNAPSHOT_FILES.blob}.${process.pid}`);
  (0, import_node_fs4.rmSync)(temporary, { force: true });
  const result = spawn(
    target.node,
    [...SNAPSHOT_NODE_FLAGS, "--no-warnings", "--snapshot-blob", temporary, "--build-snapshot", target.bundle],
    { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
    ["ignore", "pipe", "pipe"],
    BUILD_TIMEOUT_MS
  );
  const stderr = result.output[2]?.toString().trim() ?? "";
  if (result.error !== void 0 || result.status !== 0 || !(0, import_node_fs4.statSync)(temporary, { throwIfNoEntry: false })?.size) {
    (0, import_node_fs4.rmSync)(temporary, { force: true });
    removeTemporaries();
    decline(target, "the build failed");
    const how = result.error?.message ?? (result.signal ? `signal ${result.signal}` : `exit status ${result.status}`);
    throw new DbSentinelError(`startup snapshot: ${target.node} --build-snapshot ${target.bundle} failed (${how})` + (stderr ? `: ${stderr.split("\n").slice(0, 5).join(" / ")}` : ""));
  }
  const note = keepRunBuiltinsOnly(temporary, target.nodeVersion);
  for (const link of links) (0, import_node_fs4.renameSync)(link.temporary, (0, import_node_path.join)(target.dir, link.name));
  (0, import_node_fs4.renameSync)(temporary, blob);
  return {
    built: true,
    message: `startup snapshot ${blob} (${(0, import_node_fs4.statSync)(blob).size} bytes) for ${target.node} ${target.nodeVersion} and ${target.bundle}${note}`
  };
}

// src/core/check-config.ts
var import_node_fs5 = require("node:fs");
var DEFAULT_CONFIG_PATH = "/etc/db_sentinel/config.yml";
var CONFIG_SECTIONS = [
  "check",
  "databases",
  "slow_queries",
  "explain",
  "server",
  "textfile",
  "beacon",
  "tuning",
  "state_dir",
  "health"
];
var DEFAULT_CHECK = {
  sample_seconds: 1,
  command_timeout_seconds: 10,
  thresholds: {
    // Runnable threads per CPU: above 2 work queues for CPU, above 4 latency suffers visibly (Gregg, Systems
    // Performance, "load/CPU > 2 warrants investigation").
    run_queue_per_cpu: { warning: 2, critical: 4 },
    // Context switches per CPU per second: tens of thousands are normal for a busy database; beyond 50k per core
    // the kernel spends real time switching (lock contention, too many backends).
    context_switches_per_cpu: { warning: 3e4, critical: 6e4 },
    // Mean I/O time: SSDs answer in < 1 ms and disks in ~10 ms; 20 ms is slow storage, 50 ms hurts commits.
    disk_await_ms: { warning: 20, critical: 50 },
    // %util near 100 means the device was busy all interval (for a single-queue device, saturated).
    disk_util_percent: { warning: 80, critical: 95 },
    // Share of the last minute some task waited. CPU: on a busy host runnable tasks queue often; past half the time
    // a core is short. I/O: every such wait stalls a query or a commit. Memory: waits on reclaim or swap-in are
    // direct latency; systemd-oomd acts at 60% (full) by default, long before that a database is in trouble.
    pressure_cpu_some_percent: { warning: 30, critical: 70 },
    pressure_io_some_percent: { warning: 20, critical: 50 },
    pressure_memory_some_percent: { warning: 10, critical: 30 }
  },
  // The plan: any swap in use is a non-zero exit.
  swap_used_status: "critical",
  services: [],
  // Loop, RAM and device-mapper snapshot devices say nothing about the database's storage.
  ignore_devices: ["^loop\\d+$", "^ram\\d+$", "^zram\\d+$", "^sr\\d+$"],
  lock_file: "/run/lock/db_sentinel-check.lock"
};
function parseCheck(value) {
  const path = "check";
  const map = expectMap(value, path);
  rejectUnknownKeys(map, [
    "sample_seconds",
    "command_timeout_seconds",
    "thresholds",
    "swap_used_status",
    "services",
    "ignore_devices",
    "lock_file"
  ], path);
  const thresholdsPath = join(path, "thresholds");
  const thresholds = expectMap(map.thresholds, thresholdsPath);
  const defaults = DEFAULT_CHECK.thresholds;
  rejectUnknownKeys(thresholds, Object.keys(defaults), thresholdsPath);
  const ignoreDevices = readStringList(map, "ignore_devices", path, DEFAULT_CHECK.ignore_devices);
  ignoreDevices.forEach((pattern, index) => {
    try {
      new RegExp(pattern);
    } catch (error) {
      throw new ConfigError(
        join(join(path, "ignore_devices"), index),
        `not a regular expression: ${describe(pattern)}`,
        { cause: error }
      );
    }
  });
  return {
    sample_seconds: readNumber(map, "sample_seconds", path, DEFAULT_CHECK.sample_seconds, { min: 1, max: 60, integer: true }),
    command_timeout_seconds: readNumber(
      map,
      "command_timeout_seconds",
      path,
      DEFAULT_CHECK.command_timeout_seconds,
      { min: 1, max: 300 }
    ),
    thresholds: {
      run_queue_per_cpu: readThresholds(thresholds, "run_queue_per_cpu", thresholdsPath, defaults.run_queue_per_cpu),
      context_switches_per_cpu: readThresholds(
        thresholds,
        "context_switches_per_cpu",
        thresholdsPath,
        defaults.context_switches_per_cpu
      ),
      disk_await_ms: readThresholds(thresholds, "disk_await_ms", thresholdsPath, defaults.disk_await_ms),
      disk_util_percent: readThresholds(thresholds, "disk_util_percent", thresholdsPath, defaults.disk_util_percent),
      pressure_cpu_some_percent: readThresholds(
        thresholds,
        "pressure_cpu_some_percent",
        thresholdsPath,
        defaults.pressure_cpu_some_percent
      ),
      pressure_io_some_percent: readThresholds(
        thresholds,
        "pressure_io_some_percent",
        thresholdsPath,
        defaults.pressure_io_some_percent
      ),
      pressure_memory_some_percent: readThresholds(
        thresholds,
        "pressure_memory_some_percent",
        thresholdsPath,
        defaults.pressure_memory_some_percent
      )
    },
    swap_used_status: readEnum(map, "swap_used_status", path, ["warning", "critical"], DEFAULT_CHECK.swap_used_status),
    services: readStringList(map, "services", path, DEFAULT_CHECK.services),
    ignore_devices: ignoreDevices,
    lock_file: readString(map, "lock_file", path, DEFAULT_CHECK.lock_file)
  };
}
function parseCheckCommandConfig(document, source) {
  rejectUnknownKeys(expectMap(document, ""), CONFIG_SECTIONS, "");
  return { source, check: parseCheck(expectMap(document, "").check) };
}
function parseDocument(text2, source) {
  if (!text2.trimStart().startsWith("{")) return parseYaml(text2, source);
  try {
    return JSON.parse(text2);
  } catch {
    return parseYaml(text2, source);
  }
}
function parseYaml(text2, source) {
  const { load } = require_js_yaml_min();
  return load(text2, { filename: source });
}
function readConfigDocument(path) {
  const file = path ?? DEFAULT_CONFIG_PATH;
  let text2;
  try {
    text2 = (0, import_node_fs5.readFileSync)(file, "utf8");
  } catch (error) {
    const code = error.code;
    if (code === "ENOENT" && path === void 0) return { document: {}, source: "(defaults)" };
    throw new ConfigError("(file)", `cannot read ${file}: ${code ?? String(error)}`, { cause: error });
  }
  return { document: parseConfigDocument(text2, file), source: file };
}
function parseConfigDocument(text2, source) {
  try {
    return parseDocument(text2, source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError("(file)", `${source} is not valid YAML: ${reason}`, { cause: error });
  }
}
async function loadCheckConfig(path) {
  const { document, source } = readConfigDocument(path);
  return parseCheckCommandConfig(document, source);
}

// src/cli/common.ts
var import_node_os2 = require("node:os");

// src/core/completed-run.ts
var COMPLETED_RUN_KEY = "db_sentinel.completedRun";

// src/core/startup-snapshot.ts
var STARTUP_SNAPSHOT_KEY = "db_sentinel.startupSnapshot";
var SNAPSHOT_EXIT_OFFSET = 20;

// package.json
var version = "0.1.0";

// src/cli/common.ts
var UsageError = class extends DbSentinelError {
};
var CONFIG_FLAG = ["--config FILE", `the configuration file (default ${DEFAULT_CONFIG_PATH}, defaults if it is missing)`];
var INFO_FLAGS = [["--help, -h", "print this help and exit"], [
  "--version",
  "print the version and exit"
]];
function renderHelp(help) {
  const flags = [...help.flags, ...INFO_FLAGS];
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return `usage: ${help.usage}

${help.summary}

${flags.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`).join("\n")}
`;
}
var InfoRequested = class extends Error {
  constructor(text2) {
    super("--help or --version");
    this.text = text2;
  }
};
function answerInfoFlags(argv, commandName, help) {
  const end = argv.indexOf("--");
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes("--help") || flags.includes("-h")) throw new InfoRequested(help());
  if (flags.includes("--version")) throw new InfoRequested(`${commandName} (db_sentinel) ${version}
`);
}
function parseLongFlags(argv, options, allowPositionals) {
  const values = {};
  const positionals = [];
  const known = (name) => Object.prototype.hasOwnProperty.call(options, name);
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === "--" || !arg.startsWith("-") || arg === "-") {
      const rest = arg === "--" ? argv.slice(index + 1) : [arg];
      const first = rest[0];
      if (!allowPositionals && first !== void 0) {
        throw new UsageError(`Unexpected argument '${first}'. This command does not take positional arguments`);
      }
      positionals.push(...rest);
      if (arg === "--") break;
      continue;
    }
    const equals = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, equals === -1 ? void 0 : equals) : "";
    if (name === "" || !known(name)) {
      const flag = equals === -1 ? arg : arg.slice(0, equals);
      throw new UsageError(`Unknown option '${flag}'${allowPositionals ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- ${JSON.stringify(flag)}` : ""}`);
    }
    if (options[name]?.type === "boolean") {
      if (equals !== -1) throw new UsageError(`Option '--${name}' does not take an argument`);
      values[name] = true;
      continue;
    }
    if (equals !== -1) {
      values[name] = arg.slice(equals + 1);
      continue;
    }
    const value = argv[index + 1];
    if (value === void 0) throw new UsageError(`Option '--${name} <value>' argument missing`);
    if (value.length > 1 && value.startsWith("-")) {
      throw new UsageError(`Option '--${name}' argument is ambiguous.
Did you forget to specify the option argument for '--${name}'?
To specify an option argument starting with a dash use '--${name}=-XYZ'.`);
    }
    values[name] = value;
    index += 1;
  }
  return { values, positionals };
}
function parseFlags(argv, options, help, allowPositionals = false) {
  answerInfoFlags(argv, help.command ?? help.usage.split(" ")[0] ?? "", () => renderHelp(help));
  try {
    return parseLongFlags(argv, options, allowPositionals);
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}
usage: ${help.usage}`, { cause: error });
  }
}
function cpuCount() {
  return typeof import_node_os2.availableParallelism === "function" ? (0, import_node_os2.availableParallelism)() : (0, import_node_os2.cpus)().length;
}
function buildContext(config, exec, roots = HOST_ROOTS) {
  return { config, exec, roots, now: () => new Date(), cpuCount: cpuCount(), hostname: (0, import_node_os2.hostname)() };
}
function runMain(commandName, main, options = {}) {
  const snapshotBuilds = globalThis;
  const snapshot = snapshotBuilds[Symbol.for(STARTUP_SNAPSHOT_KEY)];
  if (snapshot !== void 0) {
    delete snapshotBuilds[Symbol.for(STARTUP_SNAPSHOT_KEY)];
    options.warmSnapshot?.();
    snapshot.setDeserializeMainFunction(() => runMain(commandName, main, { ...options, offset: SNAPSHOT_EXIT_OFFSET }));
    return;
  }
  const offset = options.offset ?? 0;
  const done = (code) => {
    process.exitCode = offset + code;
    if (options.atOnce === true) process.exit();
  };
  main().then(
    (code) => {
      globalThis[Symbol.for(COMPLETED_RUN_KEY)] = true;
      done(code);
    },
    (error) => {
      if (error instanceof InfoRequested) {
        process.stdout.write(error.text);
        done(0);
        return;
      }
      const kind = error instanceof ConfigError ? "invalid configuration" : error instanceof UsageError ? "usage" : "error";
      process.stdout.write(`DB_SENTINEL UNKNOWN - ${commandName}: ${kind}: ${errorMessage(error)}
`);
      done(EXIT_CODE.unknown);
    }
  );
}

// src/cli/db_check.ts
var HELP = {
  usage: "db_check [--config FILE] [--json] [--sample-seconds N]",
  summary: "Checks a database host (vmstat, iostat, swap, database service) and prints Nagios plugin output;\nexits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
  flags: [
    CONFIG_FLAG,
    ["--json", "print the whole report as JSON instead of Nagios text"],
    ["--sample-seconds N", "the vmstat/iostat sample interval, 1-60 (default check.sample_seconds)"],
    ["--build-snapshot DIR", "write the startup snapshot build/db_check.sh runs db_check from (Node 18), then exit"]
  ]
};
function sampleSecondsFlag(value) {
  if (value === void 0) return void 0;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 60) {
    throw new UsageError(`--sample-seconds: expected a whole number of seconds from 1 to 60, got ${JSON.stringify(value)}
usage: ${HELP.usage}`);
  }
  return seconds;
}
function warmSnapshot() {
  const dir = (0, import_node_fs6.mkdtempSync)((0, import_node_path2.join)((0, import_node_os3.tmpdir)(), "db_check-snapshot-"));
  try {
    const lock = acquireLock((0, import_node_path2.join)(dir, "lock"), { staleAfterMs: 6e4 });
    if (lock.acquired) lock.release();
    resolveCommand("sh", "/usr/bin:/bin");
    Buffer.byteLength(dir);
    process.hrtime.bigint();
    setImmediate(() => void 0);
  } finally {
    (0, import_node_fs6.rmSync)(dir, { recursive: true, force: true });
  }
}
runMain("db_check", async () => {
  const { values } = parseFlags(process.argv.slice(2), {
    config: { type: "string" },
    json: { type: "boolean" },
    "sample-seconds": { type: "string" },
    "build-snapshot": { type: "string" }
  }, HELP);
  const snapshotDir = values["build-snapshot"];
  if (snapshotDir !== void 0) {
    const outcome = buildStartupSnapshot({
      dir: snapshotDir,
      node: process.execPath,
      nodeVersion: process.version,
      bundle: process.argv[1] ?? ""
    });
    throw new InfoRequested(`db_check: ${outcome.message}
`);
  }
  const sampleSeconds = sampleSecondsFlag(values["sample-seconds"]);
  const loaded = await loadCheckConfig(values.config);
  const config = sampleSeconds === void 0 ? loaded : { ...loaded, check: { ...loaded.check, sample_seconds: sampleSeconds } };
  const { sample_seconds: sample, command_timeout_seconds: timeout } = config.check;
  const deadlineMs = (sample + 2 * timeout + 1) * 1e3;
  const lock = acquireLock(config.check.lock_file, { staleAfterMs: Math.max(6e5, 3 * deadlineMs) });
  if (!lock.acquired) {
    const message = `previous db_check run still running (pid ${lock.owner.pid} since ${lock.owner.started_at}; lock file ${config.check.lock_file})`;
    writeStdout(values.json ? `${JSON.stringify({ status: "unknown", error: message }, null, 2)}
` : `DB_SENTINEL UNKNOWN - ${message}
`);
    return EXIT_CODE.unknown;
  }
  try {
    const report = await collectReport(CHECK_COLLECTORS, buildContext(config, createWaveRunner()), { deadlineMs });
    writeStdout(values.json ? `${JSON.stringify(report, null, 2)}
` : renderNagios(report));
    return nagiosExitCode(report);
  } finally {
    lock.release();
  }
}, { atOnce: true, warmSnapshot });

})
*/
