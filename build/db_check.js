#!/usr/bin/env node
// Loader: compiles the bundle below (in the comment) with V8's code cache. See src/build-code-cache.ts.
// Not strict up here: arguments.callee is the function Node compiled this file into, and its text is the file's, read
// once already (reading the file again costs a run more than the rest of this loader).
(function runBundle(fileText) {
  'use strict';
  const start = fileText.indexOf("/*\u0001db_sentinel bundle\n") + 22;
  const end = fileText.lastIndexOf("\n\u0001*/\n");
  if (start < 22 || end < start) throw new Error(__filename + ': no db_sentinel bundle in this file');
  const source = fileText.slice(start, end).replaceAll("*\u0001/", '*/')
    .replaceAll("\u0001e", "\u0001");
  if (process.execArgv.includes('--build-snapshot')) {
    const v8 = require('node:v8');
    globalThis[Symbol.for("db_sentinel.startupSnapshot")] = v8.startupSnapshot;
    v8.setFlagsFromString('--no-lazy');
    const eager = new (require('node:vm').Script)(
      '(function (exports, require, module, __filename, __dirname) {' + source + '\n})',
      { filename: __filename, lineOffset: 72 });
    v8.setFlagsFromString('--lazy');
    eager.runInThisContext()({}, require, { exports: {} }, __filename, __dirname);
    return;
  }
  const fs = require('node:fs');
  const vm = require('node:vm');
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  // root's cache lives with the agent's state; any other user's in its own 0700 directory under the temp dir.
  const dir = uid === 0 ? "/var/cache/db_sentinel" : require('node:os').tmpdir() + '/db_sentinel-cache-' + uid;
  const file = dir + '/db_check.' + "78269b42dc690df3" + '.' + process.version + '.' + process.arch + '.v8cache';
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
  const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + source + '\n})', {
    filename: __filename,
    lineOffset: 72,
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
      const current = 'db_check.' + "78269b42dc690df3" + '.';
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
"use strict";
var __getOwnPropNames = Object.getOwnPropertyNames;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};

// node_modules/js-yaml/lib/common.js
var require_common = __commonJS({
  "node_modules/js-yaml/lib/common.js"(exports2, module2) {
    "use strict";
    function isNothing(subject) {
      return typeof subject === "undefined" || subject === null;
    }
    function isObject(subject) {
      return typeof subject === "object" && subject !== null;
    }
    function toArray(sequence) {
      if (Array.isArray(sequence)) return sequence;
      else if (isNothing(sequence)) return [];
      return [sequence];
    }
    function extend(target, source) {
      if (source) {
        const sourceKeys = Object.keys(source);
        for (let index = 0, length = sourceKeys.length; index < length; index += 1) {
          const key = sourceKeys[index];
          target[key] = source[key];
        }
      }
      return target;
    }
    function repeat(string, count) {
      let result = "";
      for (let cycle = 0; cycle < count; cycle += 1) {
        result += string;
      }
      return result;
    }
    function isNegativeZero(number) {
      return number === 0 && Number.NEGATIVE_INFINITY === 1 / number;
    }
    module2.exports.isNothing = isNothing;
    module2.exports.isObject = isObject;
    module2.exports.toArray = toArray;
    module2.exports.repeat = repeat;
    module2.exports.isNegativeZero = isNegativeZero;
    module2.exports.extend = extend;
  }
});

// node_modules/js-yaml/lib/exception.js
var require_exception = __commonJS({
  "node_modules/js-yaml/lib/exception.js"(exports2, module2) {
    "use strict";
    function formatError(exception, compact) {
      let where = "";
      const message = exception.reason || "(unknown reason)";
      if (!exception.mark) return message;
      if (exception.mark.name) {
        where += 'in "' + exception.mark.name + '" ';
      }
      where += "(" + (exception.mark.line + 1) + ":" + (exception.mark.column + 1) + ")";
      if (!compact && exception.mark.snippet) {
        where += "\n\n" + exception.mark.snippet;
      }
      return message + " " + where;
    }
    function YAMLException(reason, mark) {
      Error.call(this);
      this.name = "YAMLException";
      this.reason = reason;
      this.mark = mark;
      this.message = formatError(this, false);
      if (Error.captureStackTrace) {
        Error.captureStackTrace(this, this.constructor);
      } else {
        this.stack = new Error().stack || "";
      }
    }
    YAMLException.prototype = Object.create(Error.prototype);
    YAMLException.prototype.constructor = YAMLException;
    YAMLException.prototype.toString = function toString(compact) {
      return this.name + ": " + formatError(this, compact);
    };
    module2.exports = YAMLException;
  }
});

// node_modules/js-yaml/lib/snippet.js
var require_snippet = __commonJS({
  "node_modules/js-yaml/lib/snippet.js"(exports2, module2) {
    "use strict";
    var common = require_common();
    function getLine(buffer, lineStart, lineEnd, position, maxLineLength) {
      let head = "";
      let tail = "";
      const maxHalfLength = Math.floor(maxLineLength / 2) - 1;
      if (position - lineStart > maxHalfLength) {
        head = " ... ";
        lineStart = position - maxHalfLength + head.length;
      }
      if (lineEnd - position > maxHalfLength) {
        tail = " ...";
        lineEnd = position + maxHalfLength - tail.length;
      }
      return {
        str: head + buffer.slice(lineStart, lineEnd).replace(/\t/g, "\u2192") + tail,
        pos: position - lineStart + head.length
        // relative position
      };
    }
    function padStart(string, max) {
      return common.repeat(" ", max - string.length) + string;
    }
    function makeSnippet(mark, options) {
      options = Object.create(options || null);
      if (!mark.buffer) return null;
      if (!options.maxLength) options.maxLength = 79;
      if (typeof options.indent !== "number") options.indent = 1;
      if (typeof options.linesBefore !== "number") options.linesBefore = 3;
      if (typeof options.linesAfter !== "number") options.linesAfter = 2;
      const re = /\r?\n|\r|\0/g;
      const lineStarts = [0];
      const lineEnds = [];
      let match;
      let foundLineNo = -1;
      while (match = re.exec(mark.buffer)) {
        lineEnds.push(match.index);
        lineStarts.push(match.index + match[0].length);
        if (mark.position <= match.index && foundLineNo < 0) {
          foundLineNo = lineStarts.length - 2;
        }
      }
      if (foundLineNo < 0) foundLineNo = lineStarts.length - 1;
      let result = "";
      const lineNoLength = Math.min(mark.line + options.linesAfter, lineEnds.length).toString().length;
      const maxLineLength = options.maxLength - (options.indent + lineNoLength + 3);
      for (let i = 1; i <= options.linesBefore; i++) {
        if (foundLineNo - i < 0) break;
        const line2 = getLine(
          mark.buffer,
          lineStarts[foundLineNo - i],
          lineEnds[foundLineNo - i],
          mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo - i]),
          maxLineLength
        );
        result = common.repeat(" ", options.indent) + padStart((mark.line - i + 1).toString(), lineNoLength) + " | " + line2.str + "\n" + result;
      }
      const line = getLine(mark.buffer, lineStarts[foundLineNo], lineEnds[foundLineNo], mark.position, maxLineLength);
      result += common.repeat(" ", options.indent) + padStart((mark.line + 1).toString(), lineNoLength) + " | " + line.str + "\n";
      result += common.repeat("-", options.indent + lineNoLength + 3 + line.pos) + "^\n";
      for (let i = 1; i <= options.linesAfter; i++) {
        if (foundLineNo + i >= lineEnds.length) break;
        const line2 = getLine(
          mark.buffer,
          lineStarts[foundLineNo + i],
          lineEnds[foundLineNo + i],
          mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo + i]),
          maxLineLength
        );
        result += common.repeat(" ", options.indent) + padStart((mark.line + i + 1).toString(), lineNoLength) + " | " + line2.str + "\n";
      }
      return result.replace(/\n$/, "");
    }
    module2.exports = makeSnippet;
  }
});

// node_modules/js-yaml/lib/type.js
var require_type = __commonJS({
  "node_modules/js-yaml/lib/type.js"(exports2, module2) {
    "use strict";
    var YAMLException = require_exception();
    var TYPE_CONSTRUCTOR_OPTIONS = [
      "kind",
      "multi",
      "resolve",
      "construct",
      "instanceOf",
      "predicate",
      "represent",
      "representName",
      "defaultStyle",
      "styleAliases"
    ];
    var YAML_NODE_KINDS = [
      "scalar",
      "sequence",
      "mapping"
    ];
    function compileStyleAliases(map) {
      const result = {};
      if (map !== null) {
        Object.keys(map).forEach(function(style) {
          map[style].forEach(function(alias) {
            result[String(alias)] = style;
          });
        });
      }
      return result;
    }
    function Type(tag, options) {
      options = options || {};
      Object.keys(options).forEach(function(name) {
        if (TYPE_CONSTRUCTOR_OPTIONS.indexOf(name) === -1) {
          throw new YAMLException('Unknown option "' + name + '" is met in definition of "' + tag + '" YAML type.');
        }
      });
      this.options = options;
      this.tag = tag;
      this.kind = options["kind"] || null;
      this.resolve = options["resolve"] || function() {
        return true;
      };
      this.construct = options["construct"] || function(data) {
        return data;
      };
      this.instanceOf = options["instanceOf"] || null;
      this.predicate = options["predicate"] || null;
      this.represent = options["represent"] || null;
      this.representName = options["representName"] || null;
      this.defaultStyle = options["defaultStyle"] || null;
      this.multi = options["multi"] || false;
      this.styleAliases = compileStyleAliases(options["styleAliases"] || null);
      if (YAML_NODE_KINDS.indexOf(this.kind) === -1) {
        throw new YAMLException('Unknown kind "' + this.kind + '" is specified for "' + tag + '" YAML type.');
      }
    }
    module2.exports = Type;
  }
});

// node_modules/js-yaml/lib/schema.js
var require_schema = __commonJS({
  "node_modules/js-yaml/lib/schema.js"(exports2, module2) {
    "use strict";
    var YAMLException = require_exception();
    var Type = require_type();
    function compileList(schema, name) {
      const result = [];
      schema[name].forEach(function(currentType) {
        let newIndex = result.length;
        result.forEach(function(previousType, previousIndex) {
          if (previousType.tag === currentType.tag && previousType.kind === currentType.kind && previousType.multi === currentType.multi) {
            newIndex = previousIndex;
          }
        });
        result[newIndex] = currentType;
      });
      return result;
    }
    function compileMap() {
      const result = {
        scalar: {},
        sequence: {},
        mapping: {},
        fallback: {},
        multi: {
          scalar: [],
          sequence: [],
          mapping: [],
          fallback: []
        }
      };
      function collectType(type) {
        if (type.multi) {
          result.multi[type.kind].push(type);
          result.multi["fallback"].push(type);
        } else {
          result[type.kind][type.tag] = result["fallback"][type.tag] = type;
        }
      }
      for (let index = 0, length = arguments.length; index < length; index += 1) {
        arguments[index].forEach(collectType);
      }
      return result;
    }
    function Schema(definition) {
      return this.extend(definition);
    }
    Schema.prototype.extend = function extend(definition) {
      let implicit = [];
      let explicit = [];
      if (definition instanceof Type) {
        explicit.push(definition);
      } else if (Array.isArray(definition)) {
        explicit = explicit.concat(definition);
      } else if (definition && (Array.isArray(definition.implicit) || Array.isArray(definition.explicit))) {
        if (definition.implicit) implicit = implicit.concat(definition.implicit);
        if (definition.explicit) explicit = explicit.concat(definition.explicit);
      } else {
        throw new YAMLException("Schema.extend argument should be a Type, [ Type ], or a schema definition ({ implicit: [...], explicit: [...] })");
      }
      implicit.forEach(function(type) {
        if (!(type instanceof Type)) {
          throw new YAMLException("Specified list of YAML types (or a single Type object) contains a non-Type object.");
        }
        if (type.loadKind && type.loadKind !== "scalar") {
          throw new YAMLException("There is a non-scalar type in the implicit list of a schema. Implicit resolving of such types is not supported.");
        }
        if (type.multi) {
          throw new YAMLException("There is a multi type in the implicit list of a schema. Multi tags can only be listed as explicit.");
        }
      });
      explicit.forEach(function(type) {
        if (!(type instanceof Type)) {
          throw new YAMLException("Specified list of YAML types (or a single Type object) contains a non-Type object.");
        }
      });
      const result = Object.create(Schema.prototype);
      result.implicit = (this.implicit || []).concat(implicit);
      result.explicit = (this.explicit || []).concat(explicit);
      result.compiledImplicit = compileList(result, "implicit");
      result.compiledExplicit = compileList(result, "explicit");
      result.compiledTypeMap = compileMap(result.compiledImplicit, result.compiledExplicit);
      return result;
    };
    module2.exports = Schema;
  }
});

// node_modules/js-yaml/lib/type/str.js
var require_str = __commonJS({
  "node_modules/js-yaml/lib/type/str.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    module2.exports = new Type("tag:yaml.org,2002:str", {
      kind: "scalar",
      construct: function(data) {
        return data !== null ? data : "";
      }
    });
  }
});

// node_modules/js-yaml/lib/type/seq.js
var require_seq = __commonJS({
  "node_modules/js-yaml/lib/type/seq.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    module2.exports = new Type("tag:yaml.org,2002:seq", {
      kind: "sequence",
      construct: function(data) {
        return data !== null ? data : [];
      }
    });
  }
});

// node_modules/js-yaml/lib/type/map.js
var require_map = __commonJS({
  "node_modules/js-yaml/lib/type/map.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    module2.exports = new Type("tag:yaml.org,2002:map", {
      kind: "mapping",
      construct: function(data) {
        return data !== null ? data : {};
      }
    });
  }
});

// node_modules/js-yaml/lib/schema/failsafe.js
var require_failsafe = __commonJS({
  "node_modules/js-yaml/lib/schema/failsafe.js"(exports2, module2) {
    "use strict";
    var Schema = require_schema();
    module2.exports = new Schema({
      explicit: [
        require_str(),
        require_seq(),
        require_map()
      ]
    });
  }
});

// node_modules/js-yaml/lib/type/null.js
var require_null = __commonJS({
  "node_modules/js-yaml/lib/type/null.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    function resolveYamlNull(data) {
      if (data === null) return true;
      const max = data.length;
      return max === 1 && data === "~" || max === 4 && (data === "null" || data === "Null" || data === "NULL");
    }
    function constructYamlNull() {
      return null;
    }
    function isNull(object) {
      return object === null;
    }
    module2.exports = new Type("tag:yaml.org,2002:null", {
      kind: "scalar",
      resolve: resolveYamlNull,
      construct: constructYamlNull,
      predicate: isNull,
      represent: {
        canonical: function() {
          return "~";
        },
        lowercase: function() {
          return "null";
        },
        uppercase: function() {
          return "NULL";
        },
        camelcase: function() {
          return "Null";
        },
        empty: function() {
          return "";
        }
      },
      defaultStyle: "lowercase"
    });
  }
});

// node_modules/js-yaml/lib/type/bool.js
var require_bool = __commonJS({
  "node_modules/js-yaml/lib/type/bool.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    function resolveYamlBoolean(data) {
      if (data === null) return false;
      const max = data.length;
      return max === 4 && (data === "true" || data === "True" || data === "TRUE") || max === 5 && (data === "false" || data === "False" || data === "FALSE");
    }
    function constructYamlBoolean(data) {
      return data === "true" || data === "True" || data === "TRUE";
    }
    function isBoolean(object) {
      return Object.prototype.toString.call(object) === "[object Boolean]";
    }
    module2.exports = new Type("tag:yaml.org,2002:bool", {
      kind: "scalar",
      resolve: resolveYamlBoolean,
      construct: constructYamlBoolean,
      predicate: isBoolean,
      represent: {
        lowercase: function(object) {
          return object ? "true" : "false";
        },
        uppercase: function(object) {
          return object ? "TRUE" : "FALSE";
        },
        camelcase: function(object) {
          return object ? "True" : "False";
        }
      },
      defaultStyle: "lowercase"
    });
  }
});

// node_modules/js-yaml/lib/type/int.js
var require_int = __commonJS({
  "node_modules/js-yaml/lib/type/int.js"(exports2, module2) {
    "use strict";
    var common = require_common();
    var Type = require_type();
    function isHexCode(c) {
      return c >= 48 && c <= 57 || c >= 65 && c <= 70 || c >= 97 && c <= 102;
    }
    function isOctCode(c) {
      return c >= 48 && c <= 55;
    }
    function isDecCode(c) {
      return c >= 48 && c <= 57;
    }
    function resolveYamlInteger(data) {
      if (data === null) return false;
      const max = data.length;
      let index = 0;
      let hasDigits = false;
      if (!max) return false;
      let ch = data[index];
      if (ch === "-" || ch === "+") {
        ch = data[++index];
      }
      if (ch === "0") {
        if (index + 1 === max) return true;
        ch = data[++index];
        if (ch === "b") {
          index++;
          for (; index < max; index++) {
            ch = data[index];
            if (ch !== "0" && ch !== "1") return false;
            hasDigits = true;
          }
          return hasDigits && isFinite(parseYamlInteger(data));
        }
        if (ch === "x") {
          index++;
          for (; index < max; index++) {
            if (!isHexCode(data.charCodeAt(index))) return false;
            hasDigits = true;
          }
          return hasDigits && isFinite(parseYamlInteger(data));
        }
        if (ch === "o") {
          index++;
          for (; index < max; index++) {
            if (!isOctCode(data.charCodeAt(index))) return false;
            hasDigits = true;
          }
          return hasDigits && isFinite(parseYamlInteger(data));
        }
      }
      for (; index < max; index++) {
        if (!isDecCode(data.charCodeAt(index))) {
          return false;
        }
        hasDigits = true;
      }
      if (!hasDigits) return false;
      return isFinite(parseYamlInteger(data));
    }
    function parseYamlInteger(data) {
      let value = data;
      let sign = 1;
      let ch = value[0];
      if (ch === "-" || ch === "+") {
        if (ch === "-") sign = -1;
        value = value.slice(1);
        ch = value[0];
      }
      if (value === "0") return 0;
      if (ch === "0") {
        if (value[1] === "b") return sign * parseInt(value.slice(2), 2);
        if (value[1] === "x") return sign * parseInt(value.slice(2), 16);
        if (value[1] === "o") return sign * parseInt(value.slice(2), 8);
      }
      return sign * parseInt(value, 10);
    }
    function constructYamlInteger(data) {
      return parseYamlInteger(data);
    }
    function isInteger(object) {
      return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 === 0 && !common.isNegativeZero(object));
    }
    module2.exports = new Type("tag:yaml.org,2002:int", {
      kind: "scalar",
      resolve: resolveYamlInteger,
      construct: constructYamlInteger,
      predicate: isInteger,
      represent: {
        binary: function(obj) {
          return obj >= 0 ? "0b" + obj.toString(2) : "-0b" + obj.toString(2).slice(1);
        },
        octal: function(obj) {
          return obj >= 0 ? "0o" + obj.toString(8) : "-0o" + obj.toString(8).slice(1);
        },
        decimal: function(obj) {
          return obj.toString(10);
        },
        hexadecimal: function(obj) {
          return obj >= 0 ? "0x" + obj.toString(16).toUpperCase() : "-0x" + obj.toString(16).toUpperCase().slice(1);
        }
      },
      defaultStyle: "decimal",
      styleAliases: {
        binary: [2, "bin"],
        octal: [8, "oct"],
        decimal: [10, "dec"],
        hexadecimal: [16, "hex"]
      }
    });
  }
});

// node_modules/js-yaml/lib/type/float.js
var require_float = __commonJS({
  "node_modules/js-yaml/lib/type/float.js"(exports2, module2) {
    "use strict";
    var common = require_common();
    var Type = require_type();
    var YAML_FLOAT_PATTERN = new RegExp(
      // 2.5e4, 2.5 and integers
      "^(?:[-+]?(?:[0-9]+)(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
    );
    var YAML_FLOAT_SPECIAL_PATTERN = new RegExp(
      "^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
    );
    function resolveYamlFloat(data) {
      if (data === null) return false;
      if (!YAML_FLOAT_PATTERN.test(data)) {
        return false;
      }
      if (isFinite(parseFloat(data, 10))) {
        return true;
      }
      return YAML_FLOAT_SPECIAL_PATTERN.test(data);
    }
    function constructYamlFloat(data) {
      let value = data.toLowerCase();
      const sign = value[0] === "-" ? -1 : 1;
      if ("+-".indexOf(value[0]) >= 0) {
        value = value.slice(1);
      }
      if (value === ".inf") {
        return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      } else if (value === ".nan") {
        return NaN;
      }
      return sign * parseFloat(value, 10);
    }
    var SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;
    function representYamlFloat(object, style) {
      if (isNaN(object)) {
        switch (style) {
          case "lowercase":
            return ".nan";
          case "uppercase":
            return ".NAN";
          case "camelcase":
            return ".NaN";
        }
      } else if (Number.POSITIVE_INFINITY === object) {
        switch (style) {
          case "lowercase":
            return ".inf";
          case "uppercase":
            return ".INF";
          case "camelcase":
            return ".Inf";
        }
      } else if (Number.NEGATIVE_INFINITY === object) {
        switch (style) {
          case "lowercase":
            return "-.inf";
          case "uppercase":
            return "-.INF";
          case "camelcase":
            return "-.Inf";
        }
      } else if (common.isNegativeZero(object)) {
        return "-0.0";
      }
      const res = object.toString(10);
      return SCIENTIFIC_WITHOUT_DOT.test(res) ? res.replace("e", ".e") : res;
    }
    function isFloat(object) {
      return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 !== 0 || common.isNegativeZero(object));
    }
    module2.exports = new Type("tag:yaml.org,2002:float", {
      kind: "scalar",
      resolve: resolveYamlFloat,
      construct: constructYamlFloat,
      predicate: isFloat,
      represent: representYamlFloat,
      defaultStyle: "lowercase"
    });
  }
});

// node_modules/js-yaml/lib/schema/json.js
var require_json = __commonJS({
  "node_modules/js-yaml/lib/schema/json.js"(exports2, module2) {
    "use strict";
    module2.exports = require_failsafe().extend({
      implicit: [
        require_null(),
        require_bool(),
        require_int(),
        require_float()
      ]
    });
  }
});

// node_modules/js-yaml/lib/schema/core.js
var require_core = __commonJS({
  "node_modules/js-yaml/lib/schema/core.js"(exports2, module2) {
    "use strict";
    module2.exports = require_json();
  }
});

// node_modules/js-yaml/lib/type/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/js-yaml/lib/type/timestamp.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    var YAML_DATE_REGEXP = new RegExp(
      "^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$"
    );
    var YAML_TIMESTAMP_REGEXP = new RegExp(
      "^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$"
    );
    function resolveYamlTimestamp(data) {
      if (data === null) return false;
      if (YAML_DATE_REGEXP.exec(data) !== null) return true;
      if (YAML_TIMESTAMP_REGEXP.exec(data) !== null) return true;
      return false;
    }
    function constructYamlTimestamp(data) {
      let fraction = 0;
      let delta = null;
      let match = YAML_DATE_REGEXP.exec(data);
      if (match === null) match = YAML_TIMESTAMP_REGEXP.exec(data);
      if (match === null) throw new Error("Date resolve error");
      const year = +match[1];
      const month = +match[2] - 1;
      const day = +match[3];
      if (!match[4]) {
        return new Date(Date.UTC(year, month, day));
      }
      const hour = +match[4];
      const minute = +match[5];
      const second = +match[6];
      if (match[7]) {
        fraction = match[7].slice(0, 3);
        while (fraction.length < 3) {
          fraction += "0";
        }
        fraction = +fraction;
      }
      if (match[9]) {
        const tzHour = +match[10];
        const tzMinute = +(match[11] || 0);
        delta = (tzHour * 60 + tzMinute) * 6e4;
        if (match[9] === "-") delta = -delta;
      }
      const date = new Date(Date.UTC(year, month, day, hour, minute, second, fraction));
      if (delta) date.setTime(date.getTime() - delta);
      return date;
    }
    function representYamlTimestamp(object) {
      return object.toISOString();
    }
    module2.exports = new Type("tag:yaml.org,2002:timestamp", {
      kind: "scalar",
      resolve: resolveYamlTimestamp,
      construct: constructYamlTimestamp,
      instanceOf: Date,
      represent: representYamlTimestamp
    });
  }
});

// node_modules/js-yaml/lib/type/merge.js
var require_merge = __commonJS({
  "node_modules/js-yaml/lib/type/merge.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    function resolveYamlMerge(data) {
      return data === "<<" || data === null;
    }
    module2.exports = new Type("tag:yaml.org,2002:merge", {
      kind: "scalar",
      resolve: resolveYamlMerge
    });
  }
});

// node_modules/js-yaml/lib/type/binary.js
var require_binary = __commonJS({
  "node_modules/js-yaml/lib/type/binary.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    var BASE64_MAP = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r";
    function resolveYamlBinary(data) {
      if (data === null) return false;
      let bitlen = 0;
      const max = data.length;
      const map = BASE64_MAP;
      for (let idx = 0; idx < max; idx++) {
        const code = map.indexOf(data.charAt(idx));
        if (code > 64) continue;
        if (code < 0) return false;
        bitlen += 6;
      }
      return bitlen % 8 === 0;
    }
    function constructYamlBinary(data) {
      const input = data.replace(/[\r\n=]/g, "");
      const max = input.length;
      const map = BASE64_MAP;
      let bits = 0;
      const result = [];
      for (let idx = 0; idx < max; idx++) {
        if (idx % 4 === 0 && idx) {
          result.push(bits >> 16 & 255);
          result.push(bits >> 8 & 255);
          result.push(bits & 255);
        }
        bits = bits << 6 | map.indexOf(input.charAt(idx));
      }
      const tailbits = max % 4 * 6;
      if (tailbits === 0) {
        result.push(bits >> 16 & 255);
        result.push(bits >> 8 & 255);
        result.push(bits & 255);
      } else if (tailbits === 18) {
        result.push(bits >> 10 & 255);
        result.push(bits >> 2 & 255);
      } else if (tailbits === 12) {
        result.push(bits >> 4 & 255);
      }
      return new Uint8Array(result);
    }
    function representYamlBinary(object) {
      let result = "";
      let bits = 0;
      const max = object.length;
      const map = BASE64_MAP;
      for (let idx = 0; idx < max; idx++) {
        if (idx % 3 === 0 && idx) {
          result += map[bits >> 18 & 63];
          result += map[bits >> 12 & 63];
          result += map[bits >> 6 & 63];
          result += map[bits & 63];
        }
        bits = (bits << 8) + object[idx];
      }
      const tail = max % 3;
      if (tail === 0) {
        result += map[bits >> 18 & 63];
        result += map[bits >> 12 & 63];
        result += map[bits >> 6 & 63];
        result += map[bits & 63];
      } else if (tail === 2) {
        result += map[bits >> 10 & 63];
        result += map[bits >> 4 & 63];
        result += map[bits << 2 & 63];
        result += map[64];
      } else if (tail === 1) {
        result += map[bits >> 2 & 63];
        result += map[bits << 4 & 63];
        result += map[64];
        result += map[64];
      }
      return result;
    }
    function isBinary(obj) {
      return Object.prototype.toString.call(obj) === "[object Uint8Array]";
    }
    module2.exports = new Type("tag:yaml.org,2002:binary", {
      kind: "scalar",
      resolve: resolveYamlBinary,
      construct: constructYamlBinary,
      predicate: isBinary,
      represent: representYamlBinary
    });
  }
});

// node_modules/js-yaml/lib/type/omap.js
var require_omap = __commonJS({
  "node_modules/js-yaml/lib/type/omap.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    var _hasOwnProperty = Object.prototype.hasOwnProperty;
    var _toString = Object.prototype.toString;
    function resolveYamlOmap(data) {
      if (data === null) return true;
      const objectKeys = {};
      const object = data;
      for (let index = 0, length = object.length; index < length; index += 1) {
        const pair = object[index];
        let pairHasKey = false;
        if (_toString.call(pair) !== "[object Object]") return false;
        let pairKey;
        for (pairKey in pair) {
          if (_hasOwnProperty.call(pair, pairKey)) {
            if (!pairHasKey) pairHasKey = true;
            else return false;
          }
        }
        if (!pairHasKey) return false;
        if (_hasOwnProperty.call(objectKeys, pairKey)) return false;
        Object.defineProperty(objectKeys, pairKey, { value: true });
      }
      return true;
    }
    function constructYamlOmap(data) {
      return data !== null ? data : [];
    }
    module2.exports = new Type("tag:yaml.org,2002:omap", {
      kind: "sequence",
      resolve: resolveYamlOmap,
      construct: constructYamlOmap
    });
  }
});

// node_modules/js-yaml/lib/type/pairs.js
var require_pairs = __commonJS({
  "node_modules/js-yaml/lib/type/pairs.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    var _toString = Object.prototype.toString;
    function resolveYamlPairs(data) {
      if (data === null) return true;
      const object = data;
      const result = new Array(object.length);
      for (let index = 0, length = object.length; index < length; index += 1) {
        const pair = object[index];
        if (_toString.call(pair) !== "[object Object]") return false;
        const keys = Object.keys(pair);
        if (keys.length !== 1) return false;
        result[index] = [keys[0], pair[keys[0]]];
      }
      return true;
    }
    function constructYamlPairs(data) {
      if (data === null) return [];
      const object = data;
      const result = new Array(object.length);
      for (let index = 0, length = object.length; index < length; index += 1) {
        const pair = object[index];
        const keys = Object.keys(pair);
        result[index] = [keys[0], pair[keys[0]]];
      }
      return result;
    }
    module2.exports = new Type("tag:yaml.org,2002:pairs", {
      kind: "sequence",
      resolve: resolveYamlPairs,
      construct: constructYamlPairs
    });
  }
});

// node_modules/js-yaml/lib/type/set.js
var require_set = __commonJS({
  "node_modules/js-yaml/lib/type/set.js"(exports2, module2) {
    "use strict";
    var Type = require_type();
    var _hasOwnProperty = Object.prototype.hasOwnProperty;
    function resolveYamlSet(data) {
      if (data === null) return true;
      const object = data;
      for (const key in object) {
        if (_hasOwnProperty.call(object, key)) {
          if (object[key] !== null) return false;
        }
      }
      return true;
    }
    function constructYamlSet(data) {
      return data !== null ? data : {};
    }
    module2.exports = new Type("tag:yaml.org,2002:set", {
      kind: "mapping",
      resolve: resolveYamlSet,
      construct: constructYamlSet
    });
  }
});

// node_modules/js-yaml/lib/schema/default.js
var require_default = __commonJS({
  "node_modules/js-yaml/lib/schema/default.js"(exports2, module2) {
    "use strict";
    module2.exports = require_core().extend({
      implicit: [
        require_timestamp(),
        require_merge()
      ],
      explicit: [
        require_binary(),
        require_omap(),
        require_pairs(),
        require_set()
      ]
    });
  }
});

// node_modules/js-yaml/lib/loader.js
var require_loader = __commonJS({
  "node_modules/js-yaml/lib/loader.js"(exports2, module2) {
    "use strict";
    var common = require_common();
    var YAMLException = require_exception();
    var makeSnippet = require_snippet();
    var DEFAULT_SCHEMA = require_default();
    var _hasOwnProperty = Object.prototype.hasOwnProperty;
    var CONTEXT_FLOW_IN = 1;
    var CONTEXT_FLOW_OUT = 2;
    var CONTEXT_BLOCK_IN = 3;
    var CONTEXT_BLOCK_OUT = 4;
    var CHOMPING_CLIP = 1;
    var CHOMPING_STRIP = 2;
    var CHOMPING_KEEP = 3;
    var PATTERN_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
    var PATTERN_NON_ASCII_LINE_BREAKS = /[\x85\u2028\u2029]/;
    var PATTERN_FLOW_INDICATORS = /[,\[\]{}]/;
    var PATTERN_TAG_HANDLE = /^(?:!|!!|![0-9A-Za-z-]+!)$/;
    var PATTERN_TAG_URI = /^(?:!|[^,\[\]{}])(?:%[0-9a-f]{2}|[0-9a-z\-#;/?:@&=+$,_.!~*'()\[\]])*$/i;
    function _class(obj) {
      return Object.prototype.toString.call(obj);
    }
    function isEol(c) {
      return c === 10 || c === 13;
    }
    function isWhiteSpace(c) {
      return c === 9 || c === 32;
    }
    function isWsOrEol(c) {
      return c === 9 || c === 32 || c === 10 || c === 13;
    }
    function isFlowIndicator(c) {
      return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
    }
    function fromHexCode(c) {
      if (c >= 48 && c <= 57) {
        return c - 48;
      }
      const lc = c | 32;
      if (lc >= 97 && lc <= 102) {
        return lc - 97 + 10;
      }
      return -1;
    }
    function escapedHexLen(c) {
      if (c === 120) {
        return 2;
      }
      if (c === 117) {
        return 4;
      }
      if (c === 85) {
        return 8;
      }
      return 0;
    }
    function fromDecimalCode(c) {
      if (c >= 48 && c <= 57) {
        return c - 48;
      }
      return -1;
    }
    function simpleEscapeSequence(c) {
      switch (c) {
        case 48:
          return "\0";
        case 97:
          return "\x07";
        case 98:
          return "\b";
        case 116:
          return "	";
        case 9:
          return "	";
        case 110:
          return "\n";
        case 118:
          return "\v";
        case 102:
          return "\f";
        case 114:
          return "\r";
        case 101:
          return "\x1B";
        case 32:
          return " ";
        case 34:
          return '"';
        case 47:
          return "/";
        case 92:
          return "\\";
        case 78:
          return "\x85";
        case 95:
          return "\xA0";
        case 76:
          return "\u2028";
        case 80:
          return "\u2029";
        default:
          return "";
      }
    }
    function charFromCodepoint(c) {
      if (c <= 65535) {
        return String.fromCharCode(c);
      }
      return String.fromCharCode(
        (c - 65536 >> 10) + 55296,
        (c - 65536 & 1023) + 56320
      );
    }
    function setProperty(object, key, value) {
      if (key === "__proto__") {
        Object.defineProperty(object, key, {
          configurable: true,
          enumerable: true,
          writable: true,
          value
        });
      } else {
        object[key] = value;
      }
    }
    var simpleEscapeCheck = new Array(256);
    var simpleEscapeMap = new Array(256);
    for (let i = 0; i < 256; i++) {
      simpleEscapeCheck[i] = simpleEscapeSequence(i) ? 1 : 0;
      simpleEscapeMap[i] = simpleEscapeSequence(i);
    }
    function State(input, options) {
      this.input = input;
      this.filename = options["filename"] || null;
      this.schema = options["schema"] || DEFAULT_SCHEMA;
      this.onWarning = options["onWarning"] || null;
      this.legacy = options["legacy"] || false;
      this.json = options["json"] || false;
      this.listener = options["listener"] || null;
      this.maxDepth = typeof options["maxDepth"] === "number" ? options["maxDepth"] : 100;
      this.maxTotalMergeKeys = typeof options["maxTotalMergeKeys"] === "number" ? options["maxTotalMergeKeys"] : 1e4;
      this.implicitTypes = this.schema.compiledImplicit;
      this.typeMap = this.schema.compiledTypeMap;
      this.length = input.length;
      this.position = 0;
      this.line = 0;
      this.lineStart = 0;
      this.lineIndent = 0;
      this.depth = 0;
      this.totalMergeKeys = 0;
      this.firstTabInLine = -1;
      this.documents = [];
      this.anchorMapTransactions = [];
    }
    function generateError(state, message) {
      const mark = {
        name: state.filename,
        buffer: state.input.slice(0, -1),
        // omit trailing \0
        position: state.position,
        line: state.line,
        column: state.position - state.lineStart
      };
      mark.snippet = makeSnippet(mark);
      return new YAMLException(message, mark);
    }
    function throwError(state, message) {
      throw generateError(state, message);
    }
    function throwWarning(state, message) {
      if (state.onWarning) {
        state.onWarning.call(null, generateError(state, message));
      }
    }
    function storeAnchor(state, name, value) {
      const transactions = state.anchorMapTransactions;
      if (transactions.length !== 0) {
        const transaction = transactions[transactions.length - 1];
        if (!_hasOwnProperty.call(transaction, name)) {
          transaction[name] = {
            existed: _hasOwnProperty.call(state.anchorMap, name),
            value: state.anchorMap[name]
          };
        }
      }
      state.anchorMap[name] = value;
    }
    function beginAnchorTransaction(state) {
      state.anchorMapTransactions.push(/* @__PURE__ */ Object.create(null));
    }
    function commitAnchorTransaction(state) {
      const transaction = state.anchorMapTransactions.pop();
      const transactions = state.anchorMapTransactions;
      if (transactions.length === 0) return;
      const parent = transactions[transactions.length - 1];
      const names = Object.keys(transaction);
      for (let index = 0, length = names.length; index < length; index += 1) {
        const name = names[index];
        if (!_hasOwnProperty.call(parent, name)) {
          parent[name] = transaction[name];
        }
      }
    }
    function rollbackAnchorTransaction(state) {
      const transaction = state.anchorMapTransactions.pop();
      const names = Object.keys(transaction);
      for (let index = names.length - 1; index >= 0; index -= 1) {
        const entry = transaction[names[index]];
        if (entry.existed) {
          state.anchorMap[names[index]] = entry.value;
        } else {
          delete state.anchorMap[names[index]];
        }
      }
    }
    function snapshotState(state) {
      return {
        position: state.position,
        line: state.line,
        lineStart: state.lineStart,
        lineIndent: state.lineIndent,
        firstTabInLine: state.firstTabInLine,
        tag: state.tag,
        anchor: state.anchor,
        kind: state.kind,
        result: state.result
      };
    }
    function restoreState(state, snapshot) {
      state.position = snapshot.position;
      state.line = snapshot.line;
      state.lineStart = snapshot.lineStart;
      state.lineIndent = snapshot.lineIndent;
      state.firstTabInLine = snapshot.firstTabInLine;
      state.tag = snapshot.tag;
      state.anchor = snapshot.anchor;
      state.kind = snapshot.kind;
      state.result = snapshot.result;
    }
    var directiveHandlers = {
      YAML: function handleYamlDirective(state, name, args) {
        if (state.version !== null) {
          throwError(state, "duplication of %YAML directive");
        }
        if (args.length !== 1) {
          throwError(state, "YAML directive accepts exactly one argument");
        }
        const match = /^([0-9]+)\.([0-9]+)$/.exec(args[0]);
        if (match === null) {
          throwError(state, "ill-formed argument of the YAML directive");
        }
        const major = parseInt(match[1], 10);
        const minor = parseInt(match[2], 10);
        if (major !== 1) {
          throwError(state, "unacceptable YAML version of the document");
        }
        state.version = args[0];
        state.checkLineBreaks = minor < 2;
        if (minor !== 1 && minor !== 2) {
          throwWarning(state, "unsupported YAML version of the document");
        }
      },
      TAG: function handleTagDirective(state, name, args) {
        let prefix;
        if (args.length !== 2) {
          throwError(state, "TAG directive accepts exactly two arguments");
        }
        const handle = args[0];
        prefix = args[1];
        if (!PATTERN_TAG_HANDLE.test(handle)) {
          throwError(state, "ill-formed tag handle (first argument) of the TAG directive");
        }
        if (_hasOwnProperty.call(state.tagMap, handle)) {
          throwError(state, 'there is a previously declared suffix for "' + handle + '" tag handle');
        }
        if (!PATTERN_TAG_URI.test(prefix)) {
          throwError(state, "ill-formed tag prefix (second argument) of the TAG directive");
        }
        try {
          prefix = decodeURIComponent(prefix);
        } catch (err) {
          throwError(state, "tag prefix is malformed: " + prefix);
        }
        state.tagMap[handle] = prefix;
      }
    };
    function captureSegment(state, start2, end, checkJson) {
      if (start2 < end) {
        const _result = state.input.slice(start2, end);
        if (checkJson) {
          for (let _position = 0, _length = _result.length; _position < _length; _position += 1) {
            const _character = _result.charCodeAt(_position);
            if (!(_character === 9 || _character >= 32 && _character <= 1114111)) {
              throwError(state, "expected valid JSON character");
            }
          }
        } else if (PATTERN_NON_PRINTABLE.test(_result)) {
          throwError(state, "the stream contains non-printable characters");
        }
        state.result += _result;
      }
    }
    function chargeMergeWork(state) {
      state.totalMergeKeys++;
      if (state.maxTotalMergeKeys !== -1 && state.totalMergeKeys > state.maxTotalMergeKeys) {
        throwError(state, "merge keys exceeded maxTotalMergeKeys (" + state.maxTotalMergeKeys + ")");
      }
    }
    function mergeMappings(state, destination, source, overridableKeys) {
      if (!common.isObject(source)) {
        throwError(state, "cannot merge mappings; the provided source object is unacceptable");
      }
      chargeMergeWork(state);
      const sourceKeys = Object.keys(source);
      for (let index = 0, quantity = sourceKeys.length; index < quantity; index += 1) {
        const key = sourceKeys[index];
        chargeMergeWork(state);
        if (!_hasOwnProperty.call(destination, key)) {
          setProperty(destination, key, source[key]);
          overridableKeys[key] = true;
        }
      }
    }
    function storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, startLine, startLineStart, startPos) {
      if (Array.isArray(keyNode)) {
        keyNode = Array.prototype.slice.call(keyNode);
        for (let index = 0, quantity = keyNode.length; index < quantity; index += 1) {
          if (Array.isArray(keyNode[index])) {
            throwError(state, "nested arrays are not supported inside keys");
          }
          if (typeof keyNode === "object" && _class(keyNode[index]) === "[object Object]") {
            keyNode[index] = "[object Object]";
          }
        }
      }
      if (typeof keyNode === "object" && _class(keyNode) === "[object Object]") {
        keyNode = "[object Object]";
      }
      keyNode = String(keyNode);
      if (_result === null) {
        _result = {};
      }
      if (keyTag === "tag:yaml.org,2002:merge") {
        if (Array.isArray(valueNode)) {
          if (valueNode.length > 100) {
            throwError(state, "abnormal merge sequence size");
          }
          for (let index = 0, quantity = valueNode.length; index < quantity; index += 1) {
            mergeMappings(state, _result, valueNode[index], overridableKeys);
          }
        } else {
          mergeMappings(state, _result, valueNode, overridableKeys);
        }
      } else {
        if (!state.json && !_hasOwnProperty.call(overridableKeys, keyNode) && _hasOwnProperty.call(_result, keyNode)) {
          state.line = startLine || state.line;
          state.lineStart = startLineStart || state.lineStart;
          state.position = startPos || state.position;
          throwError(state, "duplicated mapping key");
        }
        setProperty(_result, keyNode, valueNode);
        delete overridableKeys[keyNode];
      }
      return _result;
    }
    function readLineBreak(state) {
      const ch = state.input.charCodeAt(state.position);
      if (ch === 10) {
        state.position++;
      } else if (ch === 13) {
        state.position++;
        if (state.input.charCodeAt(state.position) === 10) {
          state.position++;
        }
      } else {
        throwError(state, "a line break is expected");
      }
      state.line += 1;
      state.lineStart = state.position;
      state.firstTabInLine = -1;
    }
    function skipSeparationSpace(state, allowComments, checkIndent) {
      let lineBreaks = 0;
      let ch = state.input.charCodeAt(state.position);
      while (ch !== 0) {
        while (isWhiteSpace(ch)) {
          if (ch === 9 && state.firstTabInLine === -1) {
            state.firstTabInLine = state.position;
          }
          ch = state.input.charCodeAt(++state.position);
        }
        if (allowComments && ch === 35) {
          do {
            ch = state.input.charCodeAt(++state.position);
          } while (ch !== 10 && ch !== 13 && ch !== 0);
        }
        if (isEol(ch)) {
          readLineBreak(state);
          ch = state.input.charCodeAt(state.position);
          lineBreaks++;
          state.lineIndent = 0;
          while (ch === 32) {
            state.lineIndent++;
            ch = state.input.charCodeAt(++state.position);
          }
        } else {
          break;
        }
      }
      if (checkIndent !== -1 && lineBreaks !== 0 && state.lineIndent < checkIndent) {
        throwWarning(state, "deficient indentation");
      }
      return lineBreaks;
    }
    function testDocumentSeparator(state) {
      let _position = state.position;
      let ch = state.input.charCodeAt(_position);
      if ((ch === 45 || ch === 46) && ch === state.input.charCodeAt(_position + 1) && ch === state.input.charCodeAt(_position + 2)) {
        _position += 3;
        ch = state.input.charCodeAt(_position);
        if (ch === 0 || isWsOrEol(ch)) {
          return true;
        }
      }
      return false;
    }
    function writeFoldedLines(state, count) {
      if (count === 1) {
        state.result += " ";
      } else if (count > 1) {
        state.result += common.repeat("\n", count - 1);
      }
    }
    function readPlainScalar(state, nodeIndent, withinFlowCollection) {
      let captureStart;
      let captureEnd;
      let hasPendingContent;
      let _line;
      let _lineStart;
      let _lineIndent;
      const _kind = state.kind;
      const _result = state.result;
      let ch = state.input.charCodeAt(state.position);
      if (isWsOrEol(ch) || isFlowIndicator(ch) || ch === 35 || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96) {
        return false;
      }
      if (ch === 63 || ch === 45) {
        const following = state.input.charCodeAt(state.position + 1);
        if (isWsOrEol(following) || withinFlowCollection && isFlowIndicator(following)) {
          return false;
        }
      }
      state.kind = "scalar";
      state.result = "";
      captureStart = captureEnd = state.position;
      hasPendingContent = false;
      while (ch !== 0) {
        if (ch === 58) {
          const following = state.input.charCodeAt(state.position + 1);
          if (isWsOrEol(following) || withinFlowCollection && isFlowIndicator(following)) {
            break;
          }
        } else if (ch === 35) {
          const preceding = state.input.charCodeAt(state.position - 1);
          if (isWsOrEol(preceding)) {
            break;
          }
        } else if (state.position === state.lineStart && testDocumentSeparator(state) || withinFlowCollection && isFlowIndicator(ch)) {
          break;
        } else if (isEol(ch)) {
          _line = state.line;
          _lineStart = state.lineStart;
          _lineIndent = state.lineIndent;
          skipSeparationSpace(state, false, -1);
          if (state.lineIndent >= nodeIndent) {
            hasPendingContent = true;
            ch = state.input.charCodeAt(state.position);
            continue;
          } else {
            state.position = captureEnd;
            state.line = _line;
            state.lineStart = _lineStart;
            state.lineIndent = _lineIndent;
            break;
          }
        }
        if (hasPendingContent) {
          captureSegment(state, captureStart, captureEnd, false);
          writeFoldedLines(state, state.line - _line);
          captureStart = captureEnd = state.position;
          hasPendingContent = false;
        }
        if (!isWhiteSpace(ch)) {
          captureEnd = state.position + 1;
        }
        ch = state.input.charCodeAt(++state.position);
      }
      captureSegment(state, captureStart, captureEnd, false);
      if (state.result) {
        return true;
      }
      state.kind = _kind;
      state.result = _result;
      return false;
    }
    function readSingleQuotedScalar(state, nodeIndent) {
      let captureStart;
      let captureEnd;
      let ch = state.input.charCodeAt(state.position);
      if (ch !== 39) {
        return false;
      }
      state.kind = "scalar";
      state.result = "";
      state.position++;
      captureStart = captureEnd = state.position;
      while ((ch = state.input.charCodeAt(state.position)) !== 0) {
        if (ch === 39) {
          captureSegment(state, captureStart, state.position, true);
          ch = state.input.charCodeAt(++state.position);
          if (ch === 39) {
            captureStart = state.position;
            state.position++;
            captureEnd = state.position;
          } else {
            return true;
          }
        } else if (isEol(ch)) {
          captureSegment(state, captureStart, captureEnd, true);
          writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
          captureStart = captureEnd = state.position;
        } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
          throwError(state, "unexpected end of the document within a single quoted scalar");
        } else {
          state.position++;
          if (!isWhiteSpace(ch)) {
            captureEnd = state.position;
          }
        }
      }
      throwError(state, "unexpected end of the stream within a single quoted scalar");
    }
    function readDoubleQuotedScalar(state, nodeIndent) {
      let captureStart;
      let captureEnd;
      let tmp;
      let ch = state.input.charCodeAt(state.position);
      if (ch !== 34) {
        return false;
      }
      state.kind = "scalar";
      state.result = "";
      state.position++;
      captureStart = captureEnd = state.position;
      while ((ch = state.input.charCodeAt(state.position)) !== 0) {
        if (ch === 34) {
          captureSegment(state, captureStart, state.position, true);
          state.position++;
          return true;
        } else if (ch === 92) {
          captureSegment(state, captureStart, state.position, true);
          ch = state.input.charCodeAt(++state.position);
          if (isEol(ch)) {
            skipSeparationSpace(state, false, nodeIndent);
          } else if (ch < 256 && simpleEscapeCheck[ch]) {
            state.result += simpleEscapeMap[ch];
            state.position++;
          } else if ((tmp = escapedHexLen(ch)) > 0) {
            let hexLength = tmp;
            let hexResult = 0;
            for (; hexLength > 0; hexLength--) {
              ch = state.input.charCodeAt(++state.position);
              if ((tmp = fromHexCode(ch)) >= 0) {
                hexResult = (hexResult << 4) + tmp;
              } else {
                throwError(state, "expected hexadecimal character");
              }
            }
            state.result += charFromCodepoint(hexResult);
            state.position++;
          } else {
            throwError(state, "unknown escape sequence");
          }
          captureStart = captureEnd = state.position;
        } else if (isEol(ch)) {
          captureSegment(state, captureStart, captureEnd, true);
          writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
          captureStart = captureEnd = state.position;
        } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
          throwError(state, "unexpected end of the document within a double quoted scalar");
        } else {
          state.position++;
          if (!isWhiteSpace(ch)) {
            captureEnd = state.position;
          }
        }
      }
      throwError(state, "unexpected end of the stream within a double quoted scalar");
    }
    function readFlowCollection(state, nodeIndent) {
      let readNext = true;
      let _line;
      let _lineStart;
      let _pos;
      const _tag = state.tag;
      let _result;
      const _anchor = state.anchor;
      let terminator;
      let isPair;
      let isExplicitPair;
      let isMapping;
      const overridableKeys = /* @__PURE__ */ Object.create(null);
      let keyNode;
      let keyTag;
      let valueNode;
      let ch = state.input.charCodeAt(state.position);
      if (ch === 91) {
        terminator = 93;
        isMapping = false;
        _result = [];
      } else if (ch === 123) {
        terminator = 125;
        isMapping = true;
        _result = {};
      } else {
        return false;
      }
      if (state.anchor !== null) {
        storeAnchor(state, state.anchor, _result);
      }
      ch = state.input.charCodeAt(++state.position);
      while (ch !== 0) {
        skipSeparationSpace(state, true, nodeIndent);
        ch = state.input.charCodeAt(state.position);
        if (ch === terminator) {
          state.position++;
          state.tag = _tag;
          state.anchor = _anchor;
          state.kind = isMapping ? "mapping" : "sequence";
          state.result = _result;
          return true;
        } else if (!readNext) {
          throwError(state, "missed comma between flow collection entries");
        } else if (ch === 44) {
          throwError(state, "expected the node content, but found ','");
        }
        keyTag = keyNode = valueNode = null;
        isPair = isExplicitPair = false;
        if (ch === 63) {
          const following = state.input.charCodeAt(state.position + 1);
          if (isWsOrEol(following)) {
            isPair = isExplicitPair = true;
            state.position++;
            skipSeparationSpace(state, true, nodeIndent);
          }
        }
        _line = state.line;
        _lineStart = state.lineStart;
        _pos = state.position;
        composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
        keyTag = state.tag;
        keyNode = state.result;
        skipSeparationSpace(state, true, nodeIndent);
        ch = state.input.charCodeAt(state.position);
        if ((isExplicitPair || state.line === _line) && ch === 58) {
          isPair = true;
          ch = state.input.charCodeAt(++state.position);
          skipSeparationSpace(state, true, nodeIndent);
          composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
          valueNode = state.result;
        }
        if (isMapping) {
          storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos);
        } else if (isPair) {
          _result.push(storeMappingPair(state, null, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos));
        } else {
          _result.push(keyNode);
        }
        skipSeparationSpace(state, true, nodeIndent);
        ch = state.input.charCodeAt(state.position);
        if (ch === 44) {
          readNext = true;
          ch = state.input.charCodeAt(++state.position);
        } else {
          readNext = false;
        }
      }
      throwError(state, "unexpected end of the stream within a flow collection");
    }
    function readBlockScalar(state, nodeIndent) {
      let folding;
      let chomping = CHOMPING_CLIP;
      let didReadContent = false;
      let detectedIndent = false;
      let textIndent = nodeIndent;
      let emptyLines = 0;
      let atMoreIndented = false;
      let tmp;
      let ch = state.input.charCodeAt(state.position);
      if (ch === 124) {
        folding = false;
      } else if (ch === 62) {
        folding = true;
      } else {
        return false;
      }
      state.kind = "scalar";
      state.result = "";
      while (ch !== 0) {
        ch = state.input.charCodeAt(++state.position);
        if (ch === 43 || ch === 45) {
          if (CHOMPING_CLIP === chomping) {
            chomping = ch === 43 ? CHOMPING_KEEP : CHOMPING_STRIP;
          } else {
            throwError(state, "repeat of a chomping mode identifier");
          }
        } else if ((tmp = fromDecimalCode(ch)) >= 0) {
          if (tmp === 0) {
            throwError(state, "bad explicit indentation width of a block scalar; it cannot be less than one");
          } else if (!detectedIndent) {
            textIndent = nodeIndent + tmp - 1;
            detectedIndent = true;
          } else {
            throwError(state, "repeat of an indentation width identifier");
          }
        } else {
          break;
        }
      }
      if (isWhiteSpace(ch)) {
        do {
          ch = state.input.charCodeAt(++state.position);
        } while (isWhiteSpace(ch));
        if (ch === 35) {
          do {
            ch = state.input.charCodeAt(++state.position);
          } while (!isEol(ch) && ch !== 0);
        }
      }
      while (ch !== 0) {
        readLineBreak(state);
        state.lineIndent = 0;
        ch = state.input.charCodeAt(state.position);
        while ((!detectedIndent || state.lineIndent < textIndent) && ch === 32) {
          state.lineIndent++;
          ch = state.input.charCodeAt(++state.position);
        }
        if (!detectedIndent && state.lineIndent > textIndent) {
          textIndent = state.lineIndent;
        }
        if (isEol(ch)) {
          emptyLines++;
          continue;
        }
        if (!detectedIndent && textIndent === 0) {
          throwError(state, "missing indentation for block scalar");
        }
        if (state.lineIndent < textIndent) {
          if (chomping === CHOMPING_KEEP) {
            state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
          } else if (chomping === CHOMPING_CLIP) {
            if (didReadContent) {
              state.result += "\n";
            }
          }
          break;
        }
        if (folding) {
          if (isWhiteSpace(ch)) {
            atMoreIndented = true;
            state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
          } else if (atMoreIndented) {
            atMoreIndented = false;
            state.result += common.repeat("\n", emptyLines + 1);
          } else if (emptyLines === 0) {
            if (didReadContent) {
              state.result += " ";
            }
          } else {
            state.result += common.repeat("\n", emptyLines);
          }
        } else {
          state.result += common.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
        }
        didReadContent = true;
        detectedIndent = true;
        emptyLines = 0;
        const captureStart = state.position;
        while (!isEol(ch) && ch !== 0) {
          ch = state.input.charCodeAt(++state.position);
        }
        captureSegment(state, captureStart, state.position, false);
      }
      return true;
    }
    function readBlockSequence(state, nodeIndent) {
      const _tag = state.tag;
      const _anchor = state.anchor;
      const _result = [];
      let detected = false;
      if (state.firstTabInLine !== -1) return false;
      if (state.anchor !== null) {
        storeAnchor(state, state.anchor, _result);
      }
      let ch = state.input.charCodeAt(state.position);
      while (ch !== 0) {
        if (state.firstTabInLine !== -1) {
          state.position = state.firstTabInLine;
          throwError(state, "tab characters must not be used in indentation");
        }
        if (ch !== 45) {
          break;
        }
        const following = state.input.charCodeAt(state.position + 1);
        if (!isWsOrEol(following)) {
          break;
        }
        detected = true;
        state.position++;
        if (skipSeparationSpace(state, true, -1)) {
          if (state.lineIndent <= nodeIndent) {
            _result.push(null);
            ch = state.input.charCodeAt(state.position);
            continue;
          }
        }
        const _line = state.line;
        composeNode(state, nodeIndent, CONTEXT_BLOCK_IN, false, true);
        _result.push(state.result);
        skipSeparationSpace(state, true, -1);
        ch = state.input.charCodeAt(state.position);
        if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
          throwError(state, "bad indentation of a sequence entry");
        } else if (state.lineIndent < nodeIndent) {
          break;
        }
      }
      if (detected) {
        state.tag = _tag;
        state.anchor = _anchor;
        state.kind = "sequence";
        state.result = _result;
        return true;
      }
      return false;
    }
    function readBlockMapping(state, nodeIndent, flowIndent) {
      let allowCompact;
      let _keyLine;
      let _keyLineStart;
      let _keyPos;
      const _tag = state.tag;
      const _anchor = state.anchor;
      const _result = {};
      const overridableKeys = /* @__PURE__ */ Object.create(null);
      let keyTag = null;
      let keyNode = null;
      let valueNode = null;
      let atExplicitKey = false;
      let detected = false;
      if (state.firstTabInLine !== -1) return false;
      if (state.anchor !== null) {
        storeAnchor(state, state.anchor, _result);
      }
      let ch = state.input.charCodeAt(state.position);
      while (ch !== 0) {
        if (!atExplicitKey && state.firstTabInLine !== -1) {
          state.position = state.firstTabInLine;
          throwError(state, "tab characters must not be used in indentation");
        }
        const following = state.input.charCodeAt(state.position + 1);
        const _line = state.line;
        if ((ch === 63 || ch === 58) && isWsOrEol(following)) {
          if (ch === 63) {
            if (atExplicitKey) {
              storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
              keyTag = keyNode = valueNode = null;
            }
            detected = true;
            atExplicitKey = true;
            allowCompact = true;
          } else if (atExplicitKey) {
            atExplicitKey = false;
            allowCompact = true;
          } else {
            throwError(state, "incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line");
          }
          state.position += 1;
          ch = following;
        } else {
          _keyLine = state.line;
          _keyLineStart = state.lineStart;
          _keyPos = state.position;
          if (!composeNode(state, flowIndent, CONTEXT_FLOW_OUT, false, true)) {
            break;
          }
          if (state.line === _line) {
            ch = state.input.charCodeAt(state.position);
            while (isWhiteSpace(ch)) {
              ch = state.input.charCodeAt(++state.position);
            }
            if (ch === 58) {
              ch = state.input.charCodeAt(++state.position);
              if (!isWsOrEol(ch)) {
                throwError(state, "a whitespace character is expected after the key-value separator within a block mapping");
              }
              if (atExplicitKey) {
                storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
                keyTag = keyNode = valueNode = null;
              }
              detected = true;
              atExplicitKey = false;
              allowCompact = false;
              keyTag = state.tag;
              keyNode = state.result;
            } else if (detected) {
              throwError(state, "can not read an implicit mapping pair; a colon is missed");
            } else {
              state.tag = _tag;
              state.anchor = _anchor;
              return true;
            }
          } else if (detected) {
            throwError(state, "can not read a block mapping entry; a multiline key may not be an implicit key");
          } else {
            state.tag = _tag;
            state.anchor = _anchor;
            return true;
          }
        }
        if (state.line === _line || state.lineIndent > nodeIndent) {
          if (atExplicitKey) {
            _keyLine = state.line;
            _keyLineStart = state.lineStart;
            _keyPos = state.position;
          }
          if (composeNode(state, nodeIndent, CONTEXT_BLOCK_OUT, true, allowCompact)) {
            if (atExplicitKey) {
              keyNode = state.result;
            } else {
              valueNode = state.result;
            }
          }
          if (!atExplicitKey) {
            storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _keyLine, _keyLineStart, _keyPos);
            keyTag = keyNode = valueNode = null;
          }
          skipSeparationSpace(state, true, -1);
          ch = state.input.charCodeAt(state.position);
        }
        if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
          throwError(state, "bad indentation of a mapping entry");
        } else if (state.lineIndent < nodeIndent) {
          break;
        }
      }
      if (atExplicitKey) {
        storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
      }
      if (detected) {
        state.tag = _tag;
        state.anchor = _anchor;
        state.kind = "mapping";
        state.result = _result;
      }
      return detected;
    }
    function readTagProperty(state) {
      let isVerbatim = false;
      let isNamed = false;
      let tagHandle;
      let tagName;
      let ch = state.input.charCodeAt(state.position);
      if (ch !== 33) return false;
      if (state.tag !== null) {
        throwError(state, "duplication of a tag property");
      }
      ch = state.input.charCodeAt(++state.position);
      if (ch === 60) {
        isVerbatim = true;
        ch = state.input.charCodeAt(++state.position);
      } else if (ch === 33) {
        isNamed = true;
        tagHandle = "!!";
        ch = state.input.charCodeAt(++state.position);
      } else {
        tagHandle = "!";
      }
      let _position = state.position;
      if (isVerbatim) {
        do {
          ch = state.input.charCodeAt(++state.position);
        } while (ch !== 0 && ch !== 62);
        if (state.position < state.length) {
          tagName = state.input.slice(_position, state.position);
          ch = state.input.charCodeAt(++state.position);
        } else {
          throwError(state, "unexpected end of the stream within a verbatim tag");
        }
      } else {
        while (ch !== 0 && !isWsOrEol(ch)) {
          if (ch === 33) {
            if (!isNamed) {
              tagHandle = state.input.slice(_position - 1, state.position + 1);
              if (!PATTERN_TAG_HANDLE.test(tagHandle)) {
                throwError(state, "named tag handle cannot contain such characters");
              }
              isNamed = true;
              _position = state.position + 1;
            } else {
              throwError(state, "tag suffix cannot contain exclamation marks");
            }
          }
          ch = state.input.charCodeAt(++state.position);
        }
        tagName = state.input.slice(_position, state.position);
        if (PATTERN_FLOW_INDICATORS.test(tagName)) {
          throwError(state, "tag suffix cannot contain flow indicator characters");
        }
      }
      if (tagName && !PATTERN_TAG_URI.test(tagName)) {
        throwError(state, "tag name cannot contain such characters: " + tagName);
      }
      try {
        tagName = decodeURIComponent(tagName);
      } catch (err) {
        throwError(state, "tag name is malformed: " + tagName);
      }
      if (isVerbatim) {
        state.tag = tagName;
      } else if (_hasOwnProperty.call(state.tagMap, tagHandle)) {
        state.tag = state.tagMap[tagHandle] + tagName;
      } else if (tagHandle === "!") {
        state.tag = "!" + tagName;
      } else if (tagHandle === "!!") {
        state.tag = "tag:yaml.org,2002:" + tagName;
      } else {
        throwError(state, 'undeclared tag handle "' + tagHandle + '"');
      }
      return true;
    }
    function readAnchorProperty(state) {
      let ch = state.input.charCodeAt(state.position);
      if (ch !== 38) return false;
      if (state.anchor !== null) {
        throwError(state, "duplication of an anchor property");
      }
      ch = state.input.charCodeAt(++state.position);
      const _position = state.position;
      while (ch !== 0 && !isWsOrEol(ch) && !isFlowIndicator(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      if (state.position === _position) {
        throwError(state, "name of an anchor node must contain at least one character");
      }
      state.anchor = state.input.slice(_position, state.position);
      return true;
    }
    function readAlias(state) {
      let ch = state.input.charCodeAt(state.position);
      if (ch !== 42) return false;
      ch = state.input.charCodeAt(++state.position);
      const _position = state.position;
      while (ch !== 0 && !isWsOrEol(ch) && !isFlowIndicator(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      if (state.position === _position) {
        throwError(state, "name of an alias node must contain at least one character");
      }
      const alias = state.input.slice(_position, state.position);
      if (!_hasOwnProperty.call(state.anchorMap, alias)) {
        throwError(state, 'unidentified alias "' + alias + '"');
      }
      state.result = state.anchorMap[alias];
      skipSeparationSpace(state, true, -1);
      return true;
    }
    function tryReadBlockMappingFromProperty(state, propertyStart, nodeIndent, flowIndent) {
      const fallbackState = snapshotState(state);
      beginAnchorTransaction(state);
      restoreState(state, propertyStart);
      state.tag = null;
      state.anchor = null;
      state.kind = null;
      state.result = null;
      if (readBlockMapping(state, nodeIndent, flowIndent) && state.kind === "mapping") {
        commitAnchorTransaction(state);
        return true;
      }
      rollbackAnchorTransaction(state);
      restoreState(state, fallbackState);
      return false;
    }
    function composeNode(state, parentIndent, nodeContext, allowToSeek, allowCompact) {
      let allowBlockScalars;
      let allowBlockCollections;
      let indentStatus = 1;
      let atNewLine = false;
      let hasContent = false;
      let propertyStart = null;
      let type;
      let flowIndent;
      let blockIndent;
      if (state.depth >= state.maxDepth) {
        throwError(state, "nesting exceeded maxDepth (" + state.maxDepth + ")");
      }
      state.depth += 1;
      if (state.listener !== null) {
        state.listener("open", state);
      }
      state.tag = null;
      state.anchor = null;
      state.kind = null;
      state.result = null;
      const allowBlockStyles = allowBlockScalars = allowBlockCollections = CONTEXT_BLOCK_OUT === nodeContext || CONTEXT_BLOCK_IN === nodeContext;
      if (allowToSeek) {
        if (skipSeparationSpace(state, true, -1)) {
          atNewLine = true;
          if (state.lineIndent > parentIndent) {
            indentStatus = 1;
          } else if (state.lineIndent === parentIndent) {
            indentStatus = 0;
          } else if (state.lineIndent < parentIndent) {
            indentStatus = -1;
          }
        }
      }
      if (indentStatus === 1) {
        while (true) {
          const ch = state.input.charCodeAt(state.position);
          const propertyState = snapshotState(state);
          if (atNewLine && (ch === 33 && state.tag !== null || ch === 38 && state.anchor !== null)) {
            break;
          }
          if (!readTagProperty(state) && !readAnchorProperty(state)) {
            break;
          }
          if (propertyStart === null) {
            propertyStart = propertyState;
          }
          if (skipSeparationSpace(state, true, -1)) {
            atNewLine = true;
            allowBlockCollections = allowBlockStyles;
            if (state.lineIndent > parentIndent) {
              indentStatus = 1;
            } else if (state.lineIndent === parentIndent) {
              indentStatus = 0;
            } else if (state.lineIndent < parentIndent) {
              indentStatus = -1;
            }
          } else {
            allowBlockCollections = false;
          }
        }
      }
      if (allowBlockCollections) {
        allowBlockCollections = atNewLine || allowCompact;
      }
      if (indentStatus === 1 || CONTEXT_BLOCK_OUT === nodeContext) {
        if (CONTEXT_FLOW_IN === nodeContext || CONTEXT_FLOW_OUT === nodeContext) {
          flowIndent = parentIndent;
        } else {
          flowIndent = parentIndent + 1;
        }
        blockIndent = state.position - state.lineStart;
        if (indentStatus === 1) {
          if (allowBlockCollections && (readBlockSequence(state, blockIndent) || readBlockMapping(state, blockIndent, flowIndent)) || readFlowCollection(state, flowIndent)) {
            hasContent = true;
          } else {
            const ch = state.input.charCodeAt(state.position);
            if (propertyStart !== null && allowBlockStyles && !allowBlockCollections && ch !== 124 && ch !== 62 && tryReadBlockMappingFromProperty(
              state,
              propertyStart,
              propertyStart.position - propertyStart.lineStart,
              flowIndent
            )) {
              hasContent = true;
            } else if (allowBlockScalars && readBlockScalar(state, flowIndent) || readSingleQuotedScalar(state, flowIndent) || readDoubleQuotedScalar(state, flowIndent)) {
              hasContent = true;
            } else if (readAlias(state)) {
              hasContent = true;
              if (state.tag !== null || state.anchor !== null) {
                throwError(state, "alias node should not have any properties");
              }
            } else if (readPlainScalar(state, flowIndent, CONTEXT_FLOW_IN === nodeContext)) {
              hasContent = true;
              if (state.tag === null) {
                state.tag = "?";
              }
            }
            if (state.anchor !== null) {
              storeAnchor(state, state.anchor, state.result);
            }
          }
        } else if (indentStatus === 0) {
          hasContent = allowBlockCollections && readBlockSequence(state, blockIndent);
        }
      }
      if (state.tag === null) {
        if (state.anchor !== null) {
          storeAnchor(state, state.anchor, state.result);
        }
      } else if (state.tag === "?") {
        if (state.result !== null && state.kind !== "scalar") {
          throwError(state, 'unacceptable node kind for !<?> tag; it should be "scalar", not "' + state.kind + '"');
        }
        for (let typeIndex = 0, typeQuantity = state.implicitTypes.length; typeIndex < typeQuantity; typeIndex += 1) {
          type = state.implicitTypes[typeIndex];
          if (type.resolve(state.result)) {
            state.result = type.construct(state.result);
            state.tag = type.tag;
            if (state.anchor !== null) {
              storeAnchor(state, state.anchor, state.result);
            }
            break;
          }
        }
      } else if (state.tag !== "!") {
        if (_hasOwnProperty.call(state.typeMap[state.kind || "fallback"], state.tag)) {
          type = state.typeMap[state.kind || "fallback"][state.tag];
        } else {
          type = null;
          const typeList = state.typeMap.multi[state.kind || "fallback"];
          for (let typeIndex = 0, typeQuantity = typeList.length; typeIndex < typeQuantity; typeIndex += 1) {
            if (state.tag.slice(0, typeList[typeIndex].tag.length) === typeList[typeIndex].tag) {
              type = typeList[typeIndex];
              break;
            }
          }
        }
        if (!type) {
          throwError(state, "unknown tag !<" + state.tag + ">");
        }
        if (state.result !== null && type.kind !== state.kind) {
          throwError(state, "unacceptable node kind for !<" + state.tag + '> tag; it should be "' + type.kind + '", not "' + state.kind + '"');
        }
        if (!type.resolve(state.result, state.tag)) {
          throwError(state, "cannot resolve a node with !<" + state.tag + "> explicit tag");
        } else {
          state.result = type.construct(state.result, state.tag);
          if (state.anchor !== null) {
            storeAnchor(state, state.anchor, state.result);
          }
        }
      }
      if (state.listener !== null) {
        state.listener("close", state);
      }
      state.depth -= 1;
      return state.tag !== null || state.anchor !== null || hasContent;
    }
    function readDocument(state) {
      const documentStart = state.position;
      let hasDirectives = false;
      let ch;
      state.version = null;
      state.checkLineBreaks = state.legacy;
      state.tagMap = /* @__PURE__ */ Object.create(null);
      state.anchorMap = /* @__PURE__ */ Object.create(null);
      while ((ch = state.input.charCodeAt(state.position)) !== 0) {
        skipSeparationSpace(state, true, -1);
        ch = state.input.charCodeAt(state.position);
        if (state.lineIndent > 0 || ch !== 37) {
          break;
        }
        hasDirectives = true;
        ch = state.input.charCodeAt(++state.position);
        let _position = state.position;
        while (ch !== 0 && !isWsOrEol(ch)) {
          ch = state.input.charCodeAt(++state.position);
        }
        const directiveName = state.input.slice(_position, state.position);
        const directiveArgs = [];
        if (directiveName.length < 1) {
          throwError(state, "directive name must not be less than one character in length");
        }
        while (ch !== 0) {
          while (isWhiteSpace(ch)) {
            ch = state.input.charCodeAt(++state.position);
          }
          if (ch === 35) {
            do {
              ch = state.input.charCodeAt(++state.position);
            } while (ch !== 0 && !isEol(ch));
            break;
          }
          if (isEol(ch)) break;
          _position = state.position;
          while (ch !== 0 && !isWsOrEol(ch)) {
            ch = state.input.charCodeAt(++state.position);
          }
          directiveArgs.push(state.input.slice(_position, state.position));
        }
        if (ch !== 0) readLineBreak(state);
        if (_hasOwnProperty.call(directiveHandlers, directiveName)) {
          directiveHandlers[directiveName](state, directiveName, directiveArgs);
        } else {
          throwWarning(state, 'unknown document directive "' + directiveName + '"');
        }
      }
      skipSeparationSpace(state, true, -1);
      if (state.lineIndent === 0 && state.input.charCodeAt(state.position) === 45 && state.input.charCodeAt(state.position + 1) === 45 && state.input.charCodeAt(state.position + 2) === 45) {
        state.position += 3;
        skipSeparationSpace(state, true, -1);
      } else if (hasDirectives) {
        throwError(state, "directives end mark is expected");
      }
      composeNode(state, state.lineIndent - 1, CONTEXT_BLOCK_OUT, false, true);
      skipSeparationSpace(state, true, -1);
      if (state.checkLineBreaks && PATTERN_NON_ASCII_LINE_BREAKS.test(state.input.slice(documentStart, state.position))) {
        throwWarning(state, "non-ASCII line breaks are interpreted as content");
      }
      state.documents.push(state.result);
      if (state.position === state.lineStart && testDocumentSeparator(state)) {
        if (state.input.charCodeAt(state.position) === 46) {
          state.position += 3;
          skipSeparationSpace(state, true, -1);
        }
        return;
      }
      if (state.position < state.length - 1) {
        throwError(state, "end of the stream or a document separator is expected");
      }
    }
    function loadDocuments(input, options) {
      input = String(input);
      options = options || {};
      if (input.length !== 0) {
        if (input.charCodeAt(input.length - 1) !== 10 && input.charCodeAt(input.length - 1) !== 13) {
          input += "\n";
        }
        if (input.charCodeAt(0) === 65279) {
          input = input.slice(1);
        }
      }
      const state = new State(input, options);
      const nullpos = input.indexOf("\0");
      if (nullpos !== -1) {
        state.position = nullpos;
        throwError(state, "null byte is not allowed in input");
      }
      state.input += "\0";
      while (state.input.charCodeAt(state.position) === 32) {
        state.lineIndent += 1;
        state.position += 1;
      }
      while (state.position < state.length - 1) {
        readDocument(state);
      }
      return state.documents;
    }
    function loadAll(input, iterator, options) {
      if (iterator !== null && typeof iterator === "object" && typeof options === "undefined") {
        options = iterator;
        iterator = null;
      }
      const documents = loadDocuments(input, options);
      if (typeof iterator !== "function") {
        return documents;
      }
      for (let index = 0, length = documents.length; index < length; index += 1) {
        iterator(documents[index]);
      }
    }
    function load(input, options) {
      const documents = loadDocuments(input, options);
      if (documents.length === 0) {
        return void 0;
      } else if (documents.length === 1) {
        return documents[0];
      }
      throw new YAMLException("expected a single document in the stream, but found more");
    }
    module2.exports.loadAll = loadAll;
    module2.exports.load = load;
  }
});

// node_modules/js-yaml/lib/dumper.js
var require_dumper = __commonJS({
  "node_modules/js-yaml/lib/dumper.js"(exports2, module2) {
    "use strict";
    var common = require_common();
    var YAMLException = require_exception();
    var DEFAULT_SCHEMA = require_default();
    var _toString = Object.prototype.toString;
    var _hasOwnProperty = Object.prototype.hasOwnProperty;
    var CHAR_BOM = 65279;
    var CHAR_TAB = 9;
    var CHAR_LINE_FEED = 10;
    var CHAR_CARRIAGE_RETURN = 13;
    var CHAR_SPACE = 32;
    var CHAR_EXCLAMATION = 33;
    var CHAR_DOUBLE_QUOTE = 34;
    var CHAR_SHARP = 35;
    var CHAR_PERCENT = 37;
    var CHAR_AMPERSAND = 38;
    var CHAR_SINGLE_QUOTE = 39;
    var CHAR_ASTERISK = 42;
    var CHAR_COMMA = 44;
    var CHAR_MINUS = 45;
    var CHAR_COLON = 58;
    var CHAR_EQUALS = 61;
    var CHAR_GREATER_THAN = 62;
    var CHAR_QUESTION = 63;
    var CHAR_COMMERCIAL_AT = 64;
    var CHAR_LEFT_SQUARE_BRACKET = 91;
    var CHAR_RIGHT_SQUARE_BRACKET = 93;
    var CHAR_GRAVE_ACCENT = 96;
    var CHAR_LEFT_CURLY_BRACKET = 123;
    var CHAR_VERTICAL_LINE = 124;
    var CHAR_RIGHT_CURLY_BRACKET = 125;
    var ESCAPE_SEQUENCES = {};
    ESCAPE_SEQUENCES[0] = "\\0";
    ESCAPE_SEQUENCES[7] = "\\a";
    ESCAPE_SEQUENCES[8] = "\\b";
    ESCAPE_SEQUENCES[9] = "\\t";
    ESCAPE_SEQUENCES[10] = "\\n";
    ESCAPE_SEQUENCES[11] = "\\v";
    ESCAPE_SEQUENCES[12] = "\\f";
    ESCAPE_SEQUENCES[13] = "\\r";
    ESCAPE_SEQUENCES[27] = "\\e";
    ESCAPE_SEQUENCES[34] = '\\"';
    ESCAPE_SEQUENCES[92] = "\\\\";
    ESCAPE_SEQUENCES[133] = "\\N";
    ESCAPE_SEQUENCES[160] = "\\_";
    ESCAPE_SEQUENCES[8232] = "\\L";
    ESCAPE_SEQUENCES[8233] = "\\P";
    var DEPRECATED_BOOLEANS_SYNTAX = [
      "y",
      "Y",
      "yes",
      "Yes",
      "YES",
      "on",
      "On",
      "ON",
      "n",
      "N",
      "no",
      "No",
      "NO",
      "off",
      "Off",
      "OFF"
    ];
    var DEPRECATED_BASE60_SYNTAX = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;
    function compileStyleMap(schema, map) {
      if (map === null) return {};
      const result = {};
      const keys = Object.keys(map);
      for (let index = 0, length = keys.length; index < length; index += 1) {
        let tag = keys[index];
        let style = String(map[tag]);
        if (tag.slice(0, 2) === "!!") {
          tag = "tag:yaml.org,2002:" + tag.slice(2);
        }
        const type = schema.compiledTypeMap["fallback"][tag];
        if (type && _hasOwnProperty.call(type.styleAliases, style)) {
          style = type.styleAliases[style];
        }
        result[tag] = style;
      }
      return result;
    }
    function encodeHex(character) {
      let handle;
      let length;
      const string = character.toString(16).toUpperCase();
      if (character <= 255) {
        handle = "x";
        length = 2;
      } else if (character <= 65535) {
        handle = "u";
        length = 4;
      } else if (character <= 4294967295) {
        handle = "U";
        length = 8;
      } else {
        throw new YAMLException("code point within a string may not be greater than 0xFFFFFFFF");
      }
      return "\\" + handle + common.repeat("0", length - string.length) + string;
    }
    var QUOTING_TYPE_SINGLE = 1;
    var QUOTING_TYPE_DOUBLE = 2;
    function State(options) {
      this.schema = options["schema"] || DEFAULT_SCHEMA;
      this.indent = Math.max(1, options["indent"] || 2);
      this.noArrayIndent = options["noArrayIndent"] || false;
      this.skipInvalid = options["skipInvalid"] || false;
      this.flowLevel = common.isNothing(options["flowLevel"]) ? -1 : options["flowLevel"];
      this.styleMap = compileStyleMap(this.schema, options["styles"] || null);
      this.sortKeys = options["sortKeys"] || false;
      this.lineWidth = options["lineWidth"] || 80;
      this.noRefs = options["noRefs"] || false;
      this.noCompatMode = options["noCompatMode"] || false;
      this.condenseFlow = options["condenseFlow"] || false;
      this.quotingType = options["quotingType"] === '"' ? QUOTING_TYPE_DOUBLE : QUOTING_TYPE_SINGLE;
      this.forceQuotes = options["forceQuotes"] || false;
      this.replacer = typeof options["replacer"] === "function" ? options["replacer"] : null;
      this.implicitTypes = this.schema.compiledImplicit;
      this.explicitTypes = this.schema.compiledExplicit;
      this.tag = null;
      this.result = "";
      this.duplicates = [];
      this.usedDuplicates = null;
    }
    function indentString(string, spaces) {
      const ind = common.repeat(" ", spaces);
      let position = 0;
      let result = "";
      const length = string.length;
      while (position < length) {
        let line;
        const next = string.indexOf("\n", position);
        if (next === -1) {
          line = string.slice(position);
          position = length;
        } else {
          line = string.slice(position, next + 1);
          position = next + 1;
        }
        if (line.length && line !== "\n") result += ind;
        result += line;
      }
      return result;
    }
    function generateNextLine(state, level) {
      return "\n" + common.repeat(" ", state.indent * level);
    }
    function testImplicitResolving(state, str) {
      for (let index = 0, length = state.implicitTypes.length; index < length; index += 1) {
        const type = state.implicitTypes[index];
        if (type.resolve(str)) {
          return true;
        }
      }
      return false;
    }
    function isWhitespace(c) {
      return c === CHAR_SPACE || c === CHAR_TAB;
    }
    function isPrintable(c) {
      return c >= 32 && c <= 126 || c >= 161 && c <= 55295 && c !== 8232 && c !== 8233 || c >= 57344 && c <= 65533 && c !== CHAR_BOM || c >= 65536 && c <= 1114111;
    }
    function isNsCharOrWhitespace(c) {
      return isPrintable(c) && c !== CHAR_BOM && // - b-char
      c !== CHAR_CARRIAGE_RETURN && c !== CHAR_LINE_FEED;
    }
    function isPlainSafe(c, prev, inblock) {
      const cIsNsCharOrWhitespace = isNsCharOrWhitespace(c);
      const cIsNsChar = cIsNsCharOrWhitespace && !isWhitespace(c);
      return (
        // ns-plain-safe
        (inblock ? cIsNsCharOrWhitespace : cIsNsCharOrWhitespace && // - c-flow-indicator
        c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET) && // ns-plain-char
        c !== CHAR_SHARP && // false on '#'
        !(prev === CHAR_COLON && !cIsNsChar) || // false on ': '
        isNsCharOrWhitespace(prev) && !isWhitespace(prev) && c === CHAR_SHARP || // change to true on '[^ ]#'
        prev === CHAR_COLON && cIsNsChar
      );
    }
    function isPlainSafeFirst(c) {
      return isPrintable(c) && c !== CHAR_BOM && !isWhitespace(c) && // - s-white
      // - (c-indicator ::=
      // \u{201c}-\u{201d} | \u{201c}?\u{201d} | \u{201c}:\u{201d} | \u{201c},\u{201d} | \u{201c}[\u{201d} | \u{201c}]\u{201d} | \u{201c}{\u{201d} | \u{201c}}\u{201d}
      c !== CHAR_MINUS && c !== CHAR_QUESTION && c !== CHAR_COLON && c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET && // | \u{201c}#\u{201d} | \u{201c}&\u{201d} | \u{201c}*\u{201d} | \u{201c}!\u{201d} | \u{201c}|\u{201d} | \u{201c}=\u{201d} | \u{201c}>\u{201d} | \u{201c}'\u{201d} | \u{201c}"\u{201d}
      c !== CHAR_SHARP && c !== CHAR_AMPERSAND && c !== CHAR_ASTERISK && c !== CHAR_EXCLAMATION && c !== CHAR_VERTICAL_LINE && c !== CHAR_EQUALS && c !== CHAR_GREATER_THAN && c !== CHAR_SINGLE_QUOTE && c !== CHAR_DOUBLE_QUOTE && // | \u{201c}%\u{201d} | \u{201c}@\u{201d} | \u{201c}`\u{201d})
      c !== CHAR_PERCENT && c !== CHAR_COMMERCIAL_AT && c !== CHAR_GRAVE_ACCENT;
    }
    function isPlainSafeLast(c) {
      return !isWhitespace(c) && c !== CHAR_COLON;
    }
    function codePointAt(string, pos) {
      const first = string.charCodeAt(pos);
      let second;
      if (first >= 55296 && first <= 56319 && pos + 1 < string.length) {
        second = string.charCodeAt(pos + 1);
        if (second >= 56320 && second <= 57343) {
          return (first - 55296) * 1024 + second - 56320 + 65536;
        }
      }
      return first;
    }
    function needIndentIndicator(string) {
      const leadingSpaceRe = /^\n* /;
      return leadingSpaceRe.test(string);
    }
    var STYLE_PLAIN = 1;
    var STYLE_SINGLE = 2;
    var STYLE_LITERAL = 3;
    var STYLE_FOLDED = 4;
    var STYLE_DOUBLE = 5;
    function chooseScalarStyle(string, singleLineOnly, indentPerLevel, lineWidth, testAmbiguousType, quotingType, forceQuotes, inblock) {
      let i;
      let char = 0;
      let prevChar = null;
      let hasLineBreak = false;
      let hasFoldableLine = false;
      const shouldTrackWidth = lineWidth !== -1;
      let previousLineBreak = -1;
      let plain = isPlainSafeFirst(codePointAt(string, 0)) && isPlainSafeLast(codePointAt(string, string.length - 1));
      if (singleLineOnly || forceQuotes) {
        for (i = 0; i < string.length; char >= 65536 ? i += 2 : i++) {
          char = codePointAt(string, i);
          if (!isPrintable(char)) {
            return STYLE_DOUBLE;
          }
          plain = plain && isPlainSafe(char, prevChar, inblock);
          prevChar = char;
        }
      } else {
        for (i = 0; i < string.length; char >= 65536 ? i += 2 : i++) {
          char = codePointAt(string, i);
          if (char === CHAR_LINE_FEED) {
            hasLineBreak = true;
            if (shouldTrackWidth) {
              hasFoldableLine = hasFoldableLine || // Foldable line = too long, and not more-indented.
              i - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ";
              previousLineBreak = i;
            }
          } else if (!isPrintable(char)) {
            return STYLE_DOUBLE;
          }
          plain = plain && isPlainSafe(char, prevChar, inblock);
          prevChar = char;
        }
        hasFoldableLine = hasFoldableLine || shouldTrackWidth && (i - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ");
      }
      if (!hasLineBreak && !hasFoldableLine) {
        if (plain && !forceQuotes && !testAmbiguousType(string)) {
          return STYLE_PLAIN;
        }
        return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
      }
      if (indentPerLevel > 9 && needIndentIndicator(string)) {
        return STYLE_DOUBLE;
      }
      if (!forceQuotes) {
        return hasFoldableLine ? STYLE_FOLDED : STYLE_LITERAL;
      }
      return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
    }
    function writeScalar(state, string, level, iskey, inblock) {
      state.dump = (function() {
        if (string.length === 0) {
          return state.quotingType === QUOTING_TYPE_DOUBLE ? '""' : "''";
        }
        if (!state.noCompatMode) {
          if (DEPRECATED_BOOLEANS_SYNTAX.indexOf(string) !== -1 || DEPRECATED_BASE60_SYNTAX.test(string)) {
            return state.quotingType === QUOTING_TYPE_DOUBLE ? '"' + string + '"' : "'" + string + "'";
          }
        }
        const indent = state.indent * Math.max(1, level);
        const lineWidth = state.lineWidth === -1 ? -1 : Math.max(Math.min(state.lineWidth, 40), state.lineWidth - indent);
        const singleLineOnly = iskey || // No block styles in flow mode.
        state.flowLevel > -1 && level >= state.flowLevel;
        function testAmbiguity(string2) {
          return testImplicitResolving(state, string2);
        }
        switch (chooseScalarStyle(
          string,
          singleLineOnly,
          state.indent,
          lineWidth,
          testAmbiguity,
          state.quotingType,
          state.forceQuotes && !iskey,
          inblock
        )) {
          case STYLE_PLAIN:
            return string;
          case STYLE_SINGLE:
            return "'" + string.replace(/'/g, "''") + "'";
          case STYLE_LITERAL:
            return "|" + blockHeader(string, state.indent) + dropEndingNewline(indentString(string, indent));
          case STYLE_FOLDED:
            return ">" + blockHeader(string, state.indent) + dropEndingNewline(indentString(foldString(string, lineWidth), indent));
          case STYLE_DOUBLE:
            return '"' + escapeString(string, lineWidth) + '"';
          default:
            throw new YAMLException("impossible error: invalid scalar style");
        }
      })();
    }
    function blockHeader(string, indentPerLevel) {
      const indentIndicator = needIndentIndicator(string) ? String(indentPerLevel) : "";
      const clip = string[string.length - 1] === "\n";
      const keep = clip && (string[string.length - 2] === "\n" || string === "\n");
      const chomp = keep ? "+" : clip ? "" : "-";
      return indentIndicator + chomp + "\n";
    }
    function dropEndingNewline(string) {
      return string[string.length - 1] === "\n" ? string.slice(0, -1) : string;
    }
    function foldString(string, width) {
      const lineRe = /(\n+)([^\n]*)/g;
      let result = (function() {
        let nextLF = string.indexOf("\n");
        nextLF = nextLF !== -1 ? nextLF : string.length;
        lineRe.lastIndex = nextLF;
        return foldLine(string.slice(0, nextLF), width);
      })();
      let prevMoreIndented = string[0] === "\n" || string[0] === " ";
      let moreIndented;
      let match;
      while (match = lineRe.exec(string)) {
        const prefix = match[1];
        const line = match[2];
        moreIndented = line[0] === " ";
        result += prefix + (!prevMoreIndented && !moreIndented && line !== "" ? "\n" : "") + foldLine(line, width);
        prevMoreIndented = moreIndented;
      }
      return result;
    }
    function foldLine(line, width) {
      if (line === "" || line[0] === " ") return line;
      const breakRe = / [^ ]/g;
      let match;
      let start2 = 0;
      let end;
      let curr = 0;
      let next = 0;
      let result = "";
      while (match = breakRe.exec(line)) {
        next = match.index;
        if (next - start2 > width) {
          end = curr > start2 ? curr : next;
          result += "\n" + line.slice(start2, end);
          start2 = end + 1;
        }
        curr = next;
      }
      result += "\n";
      if (line.length - start2 > width && curr > start2) {
        result += line.slice(start2, curr) + "\n" + line.slice(curr + 1);
      } else {
        result += line.slice(start2);
      }
      return result.slice(1);
    }
    function escapeString(string) {
      let result = "";
      let char = 0;
      for (let i = 0; i < string.length; char >= 65536 ? i += 2 : i++) {
        char = codePointAt(string, i);
        const escapeSeq = ESCAPE_SEQUENCES[char];
        if (!escapeSeq && isPrintable(char)) {
          result += string[i];
          if (char >= 65536) result += string[i + 1];
        } else {
          result += escapeSeq || encodeHex(char);
        }
      }
      return result;
    }
    function writeFlowSequence(state, level, object) {
      let _result = "";
      const _tag = state.tag;
      for (let index = 0, length = object.length; index < length; index += 1) {
        let value = object[index];
        if (state.replacer) {
          value = state.replacer.call(object, String(index), value);
        }
        if (writeNode(state, level, value, false, false) || typeof value === "undefined" && writeNode(state, level, null, false, false)) {
          if (_result !== "") _result += "," + (!state.condenseFlow ? " " : "");
          _result += state.dump;
        }
      }
      state.tag = _tag;
      state.dump = "[" + _result + "]";
    }
    function writeBlockSequence(state, level, object, compact) {
      let _result = "";
      const _tag = state.tag;
      for (let index = 0, length = object.length; index < length; index += 1) {
        let value = object[index];
        if (state.replacer) {
          value = state.replacer.call(object, String(index), value);
        }
        if (writeNode(state, level + 1, value, true, true, false, true) || typeof value === "undefined" && writeNode(state, level + 1, null, true, true, false, true)) {
          if (!compact || _result !== "") {
            _result += generateNextLine(state, level);
          }
          if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
            _result += "-";
          } else {
            _result += "- ";
          }
          _result += state.dump;
        }
      }
      state.tag = _tag;
      state.dump = _result || "[]";
    }
    function writeFlowMapping(state, level, object) {
      let _result = "";
      const _tag = state.tag;
      const objectKeyList = Object.keys(object);
      for (let index = 0, length = objectKeyList.length; index < length; index += 1) {
        let pairBuffer = "";
        if (_result !== "") pairBuffer += ", ";
        if (state.condenseFlow) pairBuffer += '"';
        const objectKey = objectKeyList[index];
        let objectValue = object[objectKey];
        if (state.replacer) {
          objectValue = state.replacer.call(object, objectKey, objectValue);
        }
        if (!writeNode(state, level, objectKey, false, false)) {
          continue;
        }
        if (state.dump.length > 1024) pairBuffer += "? ";
        pairBuffer += state.dump + (state.condenseFlow ? '"' : "") + ":" + (state.condenseFlow ? "" : " ");
        if (!writeNode(state, level, objectValue, false, false)) {
          continue;
        }
        pairBuffer += state.dump;
        _result += pairBuffer;
      }
      state.tag = _tag;
      state.dump = "{" + _result + "}";
    }
    function writeBlockMapping(state, level, object, compact) {
      let _result = "";
      const _tag = state.tag;
      const objectKeyList = Object.keys(object);
      if (state.sortKeys === true) {
        objectKeyList.sort();
      } else if (typeof state.sortKeys === "function") {
        objectKeyList.sort(state.sortKeys);
      } else if (state.sortKeys) {
        throw new YAMLException("sortKeys must be a boolean or a function");
      }
      for (let index = 0, length = objectKeyList.length; index < length; index += 1) {
        let pairBuffer = "";
        if (!compact || _result !== "") {
          pairBuffer += generateNextLine(state, level);
        }
        const objectKey = objectKeyList[index];
        let objectValue = object[objectKey];
        if (state.replacer) {
          objectValue = state.replacer.call(object, objectKey, objectValue);
        }
        if (!writeNode(state, level + 1, objectKey, true, true, true)) {
          continue;
        }
        const explicitPair = state.tag !== null && state.tag !== "?" || state.dump && state.dump.length > 1024;
        if (explicitPair) {
          if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
            pairBuffer += "?";
          } else {
            pairBuffer += "? ";
          }
        }
        pairBuffer += state.dump;
        if (explicitPair) {
          pairBuffer += generateNextLine(state, level);
        }
        if (!writeNode(state, level + 1, objectValue, true, explicitPair)) {
          continue;
        }
        if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
          pairBuffer += ":";
        } else {
          pairBuffer += ": ";
        }
        pairBuffer += state.dump;
        _result += pairBuffer;
      }
      state.tag = _tag;
      state.dump = _result || "{}";
    }
    function detectType(state, object, explicit) {
      const typeList = explicit ? state.explicitTypes : state.implicitTypes;
      for (let index = 0, length = typeList.length; index < length; index += 1) {
        const type = typeList[index];
        if ((type.instanceOf || type.predicate) && (!type.instanceOf || typeof object === "object" && object instanceof type.instanceOf) && (!type.predicate || type.predicate(object))) {
          if (explicit) {
            if (type.multi && type.representName) {
              state.tag = type.representName(object);
            } else {
              state.tag = type.tag;
            }
          } else {
            state.tag = "?";
          }
          if (type.represent) {
            const style = state.styleMap[type.tag] || type.defaultStyle;
            let _result;
            if (_toString.call(type.represent) === "[object Function]") {
              _result = type.represent(object, style);
            } else if (_hasOwnProperty.call(type.represent, style)) {
              _result = type.represent[style](object, style);
            } else {
              throw new YAMLException("!<" + type.tag + '> tag resolver accepts not "' + style + '" style');
            }
            state.dump = _result;
          }
          return true;
        }
      }
      return false;
    }
    function writeNode(state, level, object, block, compact, iskey, isblockseq) {
      state.tag = null;
      state.dump = object;
      if (!detectType(state, object, false)) {
        detectType(state, object, true);
      }
      const type = _toString.call(state.dump);
      const inblock = block;
      if (block) {
        block = state.flowLevel < 0 || state.flowLevel > level;
      }
      const objectOrArray = type === "[object Object]" || type === "[object Array]";
      let duplicateIndex;
      let duplicate;
      if (objectOrArray) {
        duplicateIndex = state.duplicates.indexOf(object);
        duplicate = duplicateIndex !== -1;
      }
      if (state.tag !== null && state.tag !== "?" || duplicate || state.indent !== 2 && level > 0) {
        compact = false;
      }
      if (duplicate && state.usedDuplicates[duplicateIndex]) {
        state.dump = "*ref_" + duplicateIndex;
      } else {
        if (objectOrArray && duplicate && !state.usedDuplicates[duplicateIndex]) {
          state.usedDuplicates[duplicateIndex] = true;
        }
        if (type === "[object Object]") {
          if (block && Object.keys(state.dump).length !== 0) {
            writeBlockMapping(state, level, state.dump, compact);
            if (duplicate) {
              state.dump = "&ref_" + duplicateIndex + state.dump;
            }
          } else {
            writeFlowMapping(state, level, state.dump);
            if (duplicate) {
              state.dump = "&ref_" + duplicateIndex + " " + state.dump;
            }
          }
        } else if (type === "[object Array]") {
          if (block && state.dump.length !== 0) {
            if (state.noArrayIndent && !isblockseq && level > 0) {
              writeBlockSequence(state, level - 1, state.dump, compact);
            } else {
              writeBlockSequence(state, level, state.dump, compact);
            }
            if (duplicate) {
              state.dump = "&ref_" + duplicateIndex + state.dump;
            }
          } else {
            writeFlowSequence(state, level, state.dump);
            if (duplicate) {
              state.dump = "&ref_" + duplicateIndex + " " + state.dump;
            }
          }
        } else if (type === "[object String]") {
          if (state.tag !== "?") {
            writeScalar(state, state.dump, level, iskey, inblock);
          }
        } else if (type === "[object Undefined]") {
          return false;
        } else {
          if (state.skipInvalid) return false;
          throw new YAMLException("unacceptable kind of an object to dump " + type);
        }
        if (state.tag !== null && state.tag !== "?") {
          let tagStr = encodeURI(
            state.tag[0] === "!" ? state.tag.slice(1) : state.tag
          ).replace(/!/g, "%21");
          if (state.tag[0] === "!") {
            tagStr = "!" + tagStr;
          } else if (tagStr.slice(0, 18) === "tag:yaml.org,2002:") {
            tagStr = "!!" + tagStr.slice(18);
          } else {
            tagStr = "!<" + tagStr + ">";
          }
          state.dump = tagStr + " " + state.dump;
        }
      }
      return true;
    }
    function getDuplicateReferences(object, state) {
      const objects = [];
      const duplicatesIndexes = [];
      inspectNode(object, objects, duplicatesIndexes);
      const length = duplicatesIndexes.length;
      for (let index = 0; index < length; index += 1) {
        state.duplicates.push(objects[duplicatesIndexes[index]]);
      }
      state.usedDuplicates = new Array(length);
    }
    function inspectNode(object, objects, duplicatesIndexes) {
      if (object !== null && typeof object === "object") {
        const index = objects.indexOf(object);
        if (index !== -1) {
          if (duplicatesIndexes.indexOf(index) === -1) {
            duplicatesIndexes.push(index);
          }
        } else {
          objects.push(object);
          if (Array.isArray(object)) {
            for (let i = 0, length = object.length; i < length; i += 1) {
              inspectNode(object[i], objects, duplicatesIndexes);
            }
          } else {
            const objectKeyList = Object.keys(object);
            for (let i = 0, length = objectKeyList.length; i < length; i += 1) {
              inspectNode(object[objectKeyList[i]], objects, duplicatesIndexes);
            }
          }
        }
      }
    }
    function dump(input, options) {
      options = options || {};
      const state = new State(options);
      if (!state.noRefs) getDuplicateReferences(input, state);
      let value = input;
      if (state.replacer) {
        value = state.replacer.call({ "": value }, "", value);
      }
      if (writeNode(state, 0, value, true, true)) return state.dump + "\n";
      return "";
    }
    module2.exports.dump = dump;
  }
});

// node_modules/js-yaml/index.js
var require_js_yaml = __commonJS({
  "node_modules/js-yaml/index.js"(exports2, module2) {
    "use strict";
    var loader = require_loader();
    var dumper = require_dumper();
    function renamed(from, to) {
      return function() {
        throw new Error("Function yaml." + from + " is removed in js-yaml 4. Use yaml." + to + " instead, which is now safe by default.");
      };
    }
    module2.exports.Type = require_type();
    module2.exports.Schema = require_schema();
    module2.exports.FAILSAFE_SCHEMA = require_failsafe();
    module2.exports.JSON_SCHEMA = require_json();
    module2.exports.CORE_SCHEMA = require_core();
    module2.exports.DEFAULT_SCHEMA = require_default();
    module2.exports.load = loader.load;
    module2.exports.loadAll = loader.loadAll;
    module2.exports.dump = dumper.dump;
    module2.exports.YAMLException = require_exception();
    module2.exports.types = {
      binary: require_binary(),
      float: require_float(),
      map: require_map(),
      null: require_null(),
      pairs: require_pairs(),
      set: require_set(),
      timestamp: require_timestamp(),
      bool: require_bool(),
      int: require_int(),
      merge: require_merge(),
      omap: require_omap(),
      seq: require_seq(),
      str: require_str()
    };
    module2.exports.safeLoad = renamed("safeLoad", "load");
    module2.exports.safeLoadAll = renamed("safeLoadAll", "loadAll");
    module2.exports.safeDump = renamed("safeDump", "dump");
  }
});

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
    const fields = splitFields(line.replace(/^\s*[\u25CF*]\s*/, ""));
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
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
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
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CollectorTimeoutError(`${name}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
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
  const statuses = /* @__PURE__ */ new Map();
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
var SNAPSHOT_FILES = { blob: "db_check.blob", node: "node", bundle: "db_check.js" };
var SNAPSHOT_NODE_FLAGS = ["--no-verify-snapshot-checksum"];
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
    throw new DbSentinelError(`startup snapshot: cannot create ${dir}: ${error.message}`, { cause: error });
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
var LINK_REFUSED = /* @__PURE__ */ new Set(["EXDEV", "EPERM", "EMLINK"]);
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
        throw new DbSentinelError(`startup snapshot: cannot link ${link.file} into ${target.dir}: ${error.message}`, { cause: error });
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
  for (const link of links) (0, import_node_fs4.renameSync)(link.temporary, (0, import_node_path.join)(target.dir, link.name));
  (0, import_node_fs4.renameSync)(temporary, blob);
  return {
    built: true,
    message: `startup snapshot ${blob} (${(0, import_node_fs4.statSync)(blob).size} bytes) for ${target.node} ${target.nodeVersion} and ${target.bundle}`
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
  const { load } = require_js_yaml();
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
  return { config, exec, roots, now: () => /* @__PURE__ */ new Date(), cpuCount: cpuCount(), hostname: (0, import_node_os2.hostname)() };
}
function runMain(commandName, main, exit = {}) {
  const snapshotBuilds = globalThis;
  const snapshot = snapshotBuilds[Symbol.for(STARTUP_SNAPSHOT_KEY)];
  if (snapshot !== void 0) {
    delete snapshotBuilds[Symbol.for(STARTUP_SNAPSHOT_KEY)];
    snapshot.setDeserializeMainFunction(() => runMain(commandName, main, { ...exit, offset: SNAPSHOT_EXIT_OFFSET }));
    return;
  }
  const offset = exit.offset ?? 0;
  const done = (code) => {
    process.exitCode = offset + code;
    if (exit.atOnce === true) process.exit();
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
}, { atOnce: true });

*/
